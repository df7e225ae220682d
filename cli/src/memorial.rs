//! `kindred user memorialise NAME` and `kindred user unmemorialise NAME`.

use kindred_server::config::Settings;
use kindred_server::error::{Error, Said};
use kindred_server::service::bereavement;
use kindred_server::store::Store;

/// `user memorialise` and `user unmemorialise`: the operator acts as an admin would, and
/// the log names no moderator.
pub(crate) fn run(settings: &Settings, name: &str, memorialise: bool) -> Result<(), Error> {
    let store = Store::connect(&settings.database, 1)?;
    let outcome = if memorialise {
        bereavement::memorialise_by(&store, None, name)
    } else {
        bereavement::unmemorialise_by(&store, None, name)
    };
    let view = outcome.map_err(|e| match e {
        Error::NotFound => Error::invalid(
            "username",
            Said::new("es3-cli-no-member").with("name", name),
        ),
        other => other,
    })?;
    let lang = settings.default_language;
    if view.memorialised {
        println!(
            "{}",
            lang.t_args(
                "cli-memorialised",
                &[
                    ("name", view.username.into()),
                    ("display", view.display_name.into()),
                ],
            )
        );
    } else {
        println!(
            "{}",
            lang.t_args("cli-unmemorialised", &[("name", view.username.into())])
        );
    }
    Ok(())
}
