//! The `vitae` binary: a thin shell over the library.

mod cli;

fn main() -> std::process::ExitCode {
    quiet_on_closed_pipes();
    // The layout process of a user layout (see `vitae::export::pdf::isolate`): not a command
    // for people, so not in the command line's help.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == vitae::export::pdf::isolate::COMMAND)
    {
        return vitae::export::pdf::isolate::serve(std::io::stdin().lock());
    }
    cli::run()
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`vitae schema | head -1`) panics. A
/// command-line tool should end quietly there, as `cat` does: restore the default action.
fn quiet_on_closed_pipes() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread exists; it only resets how the
    // process reacts to a signal.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
