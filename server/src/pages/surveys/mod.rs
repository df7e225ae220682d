//! Research-partner surveys on the pages (issue 20): `/surveys` for members (a banner per
//! open survey, with its answer, dismiss and withdraw forms), `/partner/surveys` for
//! partners (their surveys, the draft form, results and CSV), `/admin/surveys` for the
//! admins' review and `/admin/partners` for partner grants (both in `review.rs`). Every
//! form carries the CSRF token; refusals come back as the page with the reason.

use std::future::Future;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_insights::Figure;
use kindred_web::i18n::Lang;
use kindred_web::model::Chrome;
use kindred_web::surveys::{
    member_surveys_page, partner_surveys_page, results_page, Count, InvitationItem,
    MemberSurveysPage, PartnerSurveysPage, QuestionItem, QuestionResultItem, ResultsPage,
    SurveyItem,
};
use serde::Deserialize;

use super::{query, Ctx, PageError, PageResult};
use crate::domain::current_user::CurrentUser;
use crate::domain::user::ProfileRole;
use crate::error::Error;
use crate::service::insights::ExportFormat;
use crate::service::partners;
use crate::service::surveys::results;
use crate::service::surveys::{
    self, Answer, AnswersInput, DraftInput, Question, QuestionKind, SurveyView,
};
use crate::state::AppState;

mod review;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/surveys", web::get().to(member_page))
        .route("/surveys/{id}/answers", web::post().to(answer))
        .route("/surveys/{id}/withdraw", web::post().to(withdraw))
        .route("/surveys/{id}/dismiss", web::post().to(dismiss))
        .route("/partner/surveys", web::get().to(partner_page))
        .route("/partner/surveys", web::post().to(draft))
        .route("/partner/surveys/{id}", web::get().to(results_view))
        .route(
            "/partner/surveys/{id}/results.csv",
            web::get().to(results_csv),
        )
        .route("/admin/surveys", web::get().to(review::admin_page))
        .route("/admin/surveys/{id}/decide", web::post().to(review::decide))
        .route("/admin/partners", web::get().to(review::grants_page))
        .route("/admin/partners", web::post().to(review::grant))
        .route(
            "/admin/partners/{username}/{slug}/revoke",
            web::post().to(review::revoke),
        );
}

#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

/// A refusal the reader can act on is shown on the page; anything else is an error page.
fn refusal(lang: Lang, error: Error) -> Result<String, PageError> {
    let status = actix_web::ResponseError::status_code(&error);
    if status.is_client_error() && !matches!(error, Error::NotFound | Error::Unauthenticated) {
        Ok(match &error {
            Error::Invalid { field, message } => super::field_problem(lang, field, message),
            other => super::general_problem(lang, other),
        })
    } else {
        Err(PageError::from(error))
    }
}

/// A surveys page: 400 when it shows a refusal, else 200.
fn respond(
    ctx: Ctx,
    problem: Option<&String>,
    render: impl FnOnce(&Chrome) -> String,
) -> HttpResponse {
    let status = if problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let chrome = ctx.chrome();
    ctx.html_status(status, render(&chrome))
}

/// The notice a redirect asked for (`?notice=`), among the ones this page knows (each
/// given by its catalogue id), in the reader's language.
fn asked_notice(
    req: &HttpRequest,
    lang: Lang,
    known: &[(&str, &str)],
) -> Result<Option<String>, PageError> {
    let q: NoticeQuery = query(req)?;
    Ok(q.notice.and_then(|asked| {
        known
            .iter()
            .find(|(name, _)| *name == asked)
            .map(|(_, id)| lang.t(id))
    }))
}

/// After a form: on to `done` when it went through, else the page `again` with the
/// refusal (or an error page for anything the reader cannot act on).
async fn settle<Fut: Future<Output = PageResult>>(
    ctx: Ctx,
    outcome: Result<(), Error>,
    done: &str,
    again: impl FnOnce(Ctx, String) -> Fut,
) -> PageResult {
    match outcome {
        Ok(()) => Ok(ctx.redirect(done)),
        Err(error) => {
            let problem = refusal(ctx.lang, error)?;
            again(ctx, problem).await
        }
    }
}

fn question_item(question: &Question) -> QuestionItem {
    QuestionItem {
        kind: question.kind.as_str().to_owned(),
        text: question.text.clone(),
        labels: question.labels(),
    }
}

async fn render_member(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    notice: Option<String>,
    problem: Option<String>,
) -> PageResult {
    let invitations = state
        .store
        .reading(move |store| surveys::invitations(store, &user))
        .await?;
    let view = MemberSurveysPage {
        invitations: invitations
            .into_iter()
            .map(|i| InvitationItem {
                id: i.id,
                community_name: i.community_name,
                title: i.title,
                closes_at: i.closes_at,
                state: i.state,
                questions: i.questions.iter().map(question_item).collect(),
            })
            .collect(),
        notice,
        problem,
    };
    Ok(respond(ctx, view.problem.as_ref(), |chrome| {
        member_surveys_page(chrome, &view)
    }))
}

async fn member_page(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let notice = asked_notice(
        &req,
        ctx.lang,
        &[
            ("answered", "form-notice-survey-answered"),
            ("withdrawn", "form-notice-survey-withdrawn"),
            ("dismissed", "form-notice-survey-dismissed"),
        ],
    )?;
    render_member(ctx, &state, user, notice, None).await
}

fn survey_id(raw: &str) -> Result<i64, PageError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| PageError::from(Error::NotFound))
}

/// A form field's value as sent ("" when absent).
fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn csrf_of(fields: &[(String, String)]) -> &str {
    field(fields, "csrf_token")
}

/// The answers a form sends: `q{i}` (an option's index, a scale's value's index, or a
/// free text) and `q{i}_{o}` for each ticked option of a multiple-choice question.
fn answers_from(questions: &[Question], fields: &[(String, String)]) -> Vec<Answer> {
    let value = |name: &str| Some(field(fields, name).trim().to_owned()).filter(|v| !v.is_empty());
    let mut answers = Vec::new();
    for (q, question) in questions.iter().enumerate() {
        let name = format!("q{q}");
        let mut answer = Answer {
            question: q,
            choices: Vec::new(),
            value: None,
            text: None,
        };
        match question.kind {
            QuestionKind::SingleChoice => match value(&name).and_then(|v| v.parse().ok()) {
                Some(choice) => answer.choices.push(choice),
                None => continue,
            },
            QuestionKind::Scale => match value(&name).and_then(|v| v.parse::<u8>().ok()) {
                Some(index) => answer.value = Some(index.saturating_add(1)),
                None => continue,
            },
            QuestionKind::MultipleChoice => {
                answer.choices = (0..question.options.len())
                    .filter(|o| value(&format!("{name}_{o}")).is_some())
                    .collect();
                if answer.choices.is_empty() {
                    continue;
                }
            }
            QuestionKind::FreeText => match value(&name) {
                Some(text) => answer.text = Some(text),
                None => continue,
            },
        }
        answers.push(answer);
    }
    answers
}

async fn answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let fields = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, csrf_of(&fields)).await?;
    let id = survey_id(&path.into_inner())?;
    let (app, member) = (state.clone(), user.clone());
    let outcome = state
        .store
        .blocking(move |store| {
            let offered = surveys::invitations(store, &member)?
                .into_iter()
                .find(|i| i.id == id.to_string())
                .ok_or(Error::NotFound)?;
            let answers = answers_from(&offered.questions, &fields);
            surveys::answer(
                store,
                &app.abuse.surveys_by_account,
                &member,
                id,
                AnswersInput { answers },
            )
        })
        .await;
    settle(ctx, outcome, "/surveys?notice=answered", |ctx, problem| {
        render_member(ctx, &state, user, None, Some(problem))
    })
    .await
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf_token: String,
}

async fn withdraw(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    member_action(req, state, path, form, true).await
}

async fn dismiss(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    member_action(req, state, path, form, false).await
}

async fn member_action(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
    withdrawing: bool,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let id = survey_id(&path.into_inner())?;
    let (app, member) = (state.clone(), user.clone());
    let outcome = state
        .store
        .blocking(move |store| {
            let limit = &app.abuse.surveys_by_account;
            if withdrawing {
                surveys::withdraw(store, limit, &member, id)
            } else {
                surveys::dismiss(store, limit, &member, id)
            }
        })
        .await;
    let done = if withdrawing {
        "/surveys?notice=withdrawn"
    } else {
        "/surveys?notice=dismissed"
    };
    settle(ctx, outcome, done, |ctx, problem| {
        render_member(ctx, &state, user, None, Some(problem))
    })
    .await
}

fn survey_item(view: &SurveyView) -> SurveyItem {
    SurveyItem {
        id: view.id.clone(),
        community: view.community.clone(),
        title: view.title.clone(),
        status: view.status.clone(),
        opens_at: view.opens_at.clone(),
        closes_at: view.closes_at.clone(),
        closed: view.closed,
        promotional: view.promotional,
        decision_reason: view.decision_reason.clone(),
        questions: view.questions.iter().map(question_item).collect(),
    }
}

async fn render_partner(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    notice: Option<String>,
    problem: Option<String>,
) -> PageResult {
    if !user.is_research_partner() {
        return Err(PageError::from(Error::NotFound));
    }
    let (mine, communities) = state
        .store
        .reading(move |store| {
            Ok::<_, Error>((
                surveys::of_partner(store, &user)?,
                partners::communities_of(store, &user)?,
            ))
        })
        .await?;
    let view = PartnerSurveysPage {
        surveys: mine.iter().map(survey_item).collect(),
        communities: communities.into_iter().map(|c| (c.slug, c.name)).collect(),
        notice,
        problem,
    };
    Ok(respond(ctx, view.problem.as_ref(), |chrome| {
        partner_surveys_page(chrome, &view)
    }))
}

async fn partner_page(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let notice = asked_notice(&req, ctx.lang, &[("drafted", "form-notice-survey-drafted")])?;
    render_partner(ctx, &state, user, notice, None).await
}

/// The draft form: up to three questions, `q{i}_kind`, `q{i}_text`, `q{i}_options`.
fn draft_input(fields: &[(String, String)]) -> Result<DraftInput, Error> {
    let value = |name: &str| field(fields, name).trim().to_owned();
    let mut questions = Vec::new();
    for q in 0..3 {
        let text = value(&format!("q{q}_text"));
        if text.is_empty() {
            continue;
        }
        let kind = QuestionKind::parse(&value(&format!("q{q}_kind")))?;
        if kind == QuestionKind::FreeText {
            return Err(Error::invalid(
                "kind",
                "free-text questions are added through the API",
            ));
        }
        let options = value(&format!("q{q}_options"))
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        questions.push(Question {
            kind,
            text,
            options,
            for_moderators: false,
        });
    }
    let day = |name: &str| format!("{}T00:00:00Z", value(name));
    Ok(DraftInput {
        community: value("community"),
        title: value("title"),
        questions,
        opens_at: day("opens_on"),
        closes_at: day("closes_on"),
        audience_role: match value("audience_role").as_str() {
            "" => None,
            role => Some(ProfileRole::parse(role)?),
        },
        audience_condition: Some(value("audience_condition")).filter(|c| !c.is_empty()),
    })
}

async fn draft(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let fields = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, csrf_of(&fields)).await?;
    let (app, partner) = (state.clone(), user.clone());
    let outcome = state
        .store
        .blocking(move |store| {
            let input = draft_input(&fields)?;
            surveys::draft(store, &app.abuse.surveys_by_account, &partner, input)
        })
        .await;
    settle(
        ctx,
        outcome.map(drop),
        "/partner/surveys?notice=drafted",
        |ctx, problem| render_partner(ctx, &state, user, None, Some(problem)),
    )
    .await
}

fn count(figure: Figure) -> Count {
    match figure.value() {
        Some(v) => Count::Value(v),
        None => Count::Withheld,
    }
}

async fn results_view(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let id = survey_id(&path.into_inner())?;
    let viewer = user.clone();
    let (_, survey) = state
        .store
        .reading(move |store| surveys::partner_survey(store, &viewer, id))
        .await?;
    let found = state
        .store
        .blocking(move |store| results::results(store, &user, id, false, "html"))
        .await;
    let mut view = ResultsPage {
        id: survey.id.clone(),
        title: survey.title.clone(),
        respondents: 0,
        questions: Vec::new(),
        withheld: None,
    };
    let status = match found {
        Ok(found) => {
            view.respondents = found.respondents;
            view.questions = found
                .questions
                .into_iter()
                .map(|q| QuestionResultItem {
                    text: q.text,
                    respondents: count(q.respondents),
                    options: q
                        .options
                        .into_iter()
                        .map(|o| (o.label, count(o.count)))
                        .collect(),
                })
                .collect();
            StatusCode::OK
        }
        Err(error) => {
            view.withheld = Some(refusal(ctx.lang, error)?);
            StatusCode::BAD_REQUEST
        }
    };
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, results_page(&chrome, &view)))
}

async fn results_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let id = survey_id(&path.into_inner())?;
    let body = state
        .store
        .blocking(move |store| {
            let found = results::results(store, &user, id, false, "csv")?;
            results::write_results(&found, ExportFormat::Csv)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(ExportFormat::Csv.content_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"survey-{id}.csv\""),
        ))
        .body(body))
}
