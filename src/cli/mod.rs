//! Command-line arguments and dispatch to the commands.

mod build;
mod bundle;
mod init;
mod memory;
mod new;
mod new_translation;
mod progress;
mod serve;
mod translations;

use clap::{Parser, Subcommand, ValueEnum};
use gazette::diagnostics::print::Format;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "gazette",
    version,
    about = "Publish the records of government partnerships as a static site"
)]
pub struct Args {
    /// The site folder (holding gazette.yaml and content/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate the content and render the site into the output folder.
    Build {
        /// Output folder (default: <root>/output). Replaced atomically, so
        /// it must be absent, empty or an earlier output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Replace the output folder even if it holds files Gazette did not write.
        #[arg(long)]
        force: bool,
        /// Print only problems: no progress bar, no summary line.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        report: Report,
    },
    /// Validate the content only; exit 1 listing every error.
    Check {
        /// Also list, per language other than the default, the records not
        /// translated yet and the translations out of date, with each
        /// record's digest for `translates:` (not errors: exit 0 unless the
        /// check finds errors).
        #[arg(long)]
        translations: bool,
        #[command(flatten)]
        report: Report,
    },
    /// Make an offline bundle: one zip that works from a USB stick, no network.
    Bundle {
        /// Only this partnership and the records it names.
        #[arg(long)]
        partnership: Option<String>,
        /// Only the pages of these languages (repeat it or separate with
        /// commas: `--lang mn,en`); the open data and static files stay.
        /// Default: every language of the site.
        #[arg(long = "lang", value_name = "LANG")]
        languages: Vec<String>,
        /// The zip to write (default: <name>-<date>.zip in the site folder).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Leave out each record's index.json (half the files; the data
        /// folder keeps graph.json and the CSVs).
        #[arg(long)]
        no_record_json: bool,
        #[command(flatten)]
        report: Report,
    },
    /// Check every file of a bundle (zip or unzipped folder) against its manifest.
    Verify {
        /// The bundle's zip file or folder.
        bundle: PathBuf,
    },
    /// Create a new site with example content, ready to build.
    Init {
        /// Folder to create (must not exist, or be empty).
        dir: PathBuf,
    },
    /// Create a content file with the right front matter, or with `--lang`
    /// and `--of` the skeleton of a record's translation.
    New {
        /// partnership, dialogue, pledge, grant, organization, person or report.
        kind: String,
        /// The title (or name); the file name is made from it unless `--id`
        /// is given. With `--of`, the translated title (optional).
        #[arg(required_unless_present = "of")]
        title: Option<String>,
        /// The record's id, which is its file name: lowercase letters,
        /// digits and single hyphens. Needed when the title has no Latin
        /// letters or digits to make one from.
        #[arg(long, conflicts_with = "of")]
        id: Option<String>,
        /// With `--of`: the language to translate into, one of the site's
        /// other languages.
        #[arg(long, requires = "of")]
        lang: Option<String>,
        /// The id of the record to translate: writes `<id>.<lang>.md` beside
        /// it, each text field to translate, `translates:` set.
        #[arg(long, requires = "lang", value_name = "ID")]
        of: Option<String>,
    },
    /// Serve the site on this machine and rebuild it on every change.
    Serve {
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; 0.0.0.0 serves other machines too.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        report: Report,
    },
    /// Rebuild the output folder on every change, writing only what changed.
    Watch {
        /// Output folder (default: <root>/output); must be absent, empty or
        /// an earlier output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Replace the output folder even if it holds files Gazette did not write.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        report: Report,
    },
}

#[derive(clap::Args, Debug)]
struct Report {
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum OutputFormat {
    Human,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl Report {
    fn format(&self) -> Format {
        match self.format {
            OutputFormat::Json => Format::Json,
            OutputFormat::Human => Format::Human {
                color: match self.color {
                    ColorWhen::Always => true,
                    ColorWhen::Never => false,
                    ColorWhen::Auto => {
                        std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                    }
                },
            },
        }
    }
}

/// Run a command; returns the process exit code.
pub fn run(args: Args) -> i32 {
    match args.command {
        Command::Build {
            output,
            force,
            quiet,
            report,
        } => {
            if let Err(code) = is_site(&args.root) {
                return code;
            }
            let out = output.unwrap_or_else(|| args.root.join("output"));
            build::build(&args.root, &out, force, quiet, report.format())
        }
        Command::Check {
            translations,
            report,
        } => match is_site(&args.root) {
            Ok(()) if translations => translations::check(&args.root, report.format()),
            Ok(()) => build::check(&args.root, report.format()),
            Err(code) => code,
        },
        Command::Bundle {
            partnership,
            languages,
            output,
            no_record_json,
            report,
        } => match is_site(&args.root) {
            Ok(()) => bundle::bundle(
                &args.root,
                partnership,
                languages,
                output,
                !no_record_json,
                report.format(),
            ),
            Err(code) => code,
        },
        Command::Verify { bundle } => bundle::verify(&bundle),
        Command::Init { dir } => init::init(&dir),
        Command::New {
            kind,
            title,
            id,
            lang,
            of,
        } => new::new(
            &args.root,
            &kind,
            title.as_deref(),
            id.as_deref(),
            lang.as_deref().zip(of.as_deref()),
        ),
        Command::Serve {
            port,
            bind,
            open,
            report,
        } => match is_site(&args.root) {
            Ok(()) => serve::serve(&args.root, bind, port, open, report.format()),
            Err(code) => code,
        },
        Command::Watch {
            output,
            force,
            report,
        } => match is_site(&args.root) {
            Ok(()) => {
                let out = output.unwrap_or_else(|| args.root.join("output"));
                serve::watch(&args.root, &out, force, report.format())
            }
            Err(code) => code,
        },
    }
}

/// A usage error (exit 2) unless `root` is a site folder with a config file.
fn is_site(root: &std::path::Path) -> Result<(), i32> {
    if !root.is_dir() {
        eprintln!(
            "gazette: `{}` is not a folder; pass the site folder with --root",
            root.display()
        );
        return Err(2);
    }
    if !root.join(gazette::config::FILE).is_file() {
        eprintln!(
            "gazette: `{}` is not a site folder: it has no {}\nhint: run in the site folder, pass --root <dir>, or create a site with `gazette init <dir>`",
            root.display(),
            gazette::config::FILE
        );
        return Err(2);
    }
    Ok(())
}
