//! One function per subcommand: each takes its parsed arguments (and the loaded config where it
//! needs one) and returns the process exit code. `anyhow` is allowed here: this is the binary's edge.

pub mod check;
pub mod enrich;
pub mod extract;
pub mod feed;
pub mod parse;
pub mod poll;
pub mod reextract;
pub mod search;
pub mod show;
pub mod tail;
