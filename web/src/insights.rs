//! `/insights` and `/insights/{slug}`: de-identified insights for research partners and
//! admins, as charts drawn here in SVG (no script, no chart library) with a data table
//! under each for screen readers. A withheld figure is hatched and reads "<11"; it is
//! never drawn as zero, and a line breaks where a month is withheld.

use std::fmt::Write as _;

use maud::{html, Markup, PreEscaped};

use crate::layout::page;
use crate::model::Chrome;

/// One published figure, or one withheld because too few members stand behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Value(u64),
    Withheld,
}

/// A figure over several months, added up from the published monthly figures only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    /// Every month published.
    Known(u64),
    /// Some months withheld: at least this many.
    AtLeast(u64),
    /// Every month withheld.
    Withheld,
}

impl Total {
    /// Adds up monthly cells the way the page shows them.
    pub fn of(cells: impl IntoIterator<Item = Cell>) -> Total {
        let (mut sum, mut withheld, mut published) = (0, false, false);
        for cell in cells {
            match cell {
                Cell::Value(v) => {
                    sum += v;
                    published = true;
                }
                Cell::Withheld => withheld = true,
            }
        }
        match (published, withheld) {
            (_, false) => Total::Known(sum),
            (true, true) if sum > 0 => Total::AtLeast(sum),
            _ => Total::Withheld,
        }
    }

    fn amount(self) -> u64 {
        match self {
            Total::Known(v) | Total::AtLeast(v) => v,
            Total::Withheld => 0,
        }
    }
}

/// One term's mentions month by month, aligned with [`InsightsPage::months`].
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub points: Vec<Cell>,
}

/// Mentions over time of the terms of one vocabulary.
#[derive(Debug, Clone)]
pub struct LineChart {
    /// For element ids and the title: `treatments`, `side-effects`, `concerns`.
    pub id: &'static str,
    /// The terms with the most mentions, drawn and tabled.
    pub series: Vec<Series>,
    /// Terms whose every month is withheld or empty, named under the chart.
    pub quiet: Vec<String>,
}

/// A concern's mentions this period and in the period before.
#[derive(Debug, Clone)]
pub struct ConcernRow {
    pub label: String,
    pub this_period: Total,
    pub last_period: Total,
}

/// Treatment × side effect: posts mentioning both, over the period.
#[derive(Debug, Clone)]
pub struct Heatmap {
    pub treatments: Vec<String>,
    pub side_effects: Vec<String>,
    /// `cells[t][s]`.
    pub cells: Vec<Vec<Total>>,
}

/// The community's insights over a range of months.
#[derive(Debug, Clone)]
pub struct InsightsPage {
    pub community_name: String,
    pub slug: String,
    /// `YYYY-MM`, the chosen range.
    pub from: String,
    pub to: String,
    /// `YYYY-MM` of the period before, as long as this one.
    pub last_from: String,
    pub last_to: String,
    /// Withheld figures read "<{below}".
    pub below: u32,
    /// Why there is nothing to show, when there is nothing.
    pub nothing: Option<String>,
    pub months: Vec<String>,
    /// Members who agreed to count and posted, month by month.
    pub members: Vec<Cell>,
    pub charts: Vec<LineChart>,
    pub concerns: Vec<ConcernRow>,
    pub heatmap: Heatmap,
}

/// A community the viewer may look at.
#[derive(Debug, Clone)]
pub struct InsightsLink {
    pub slug: String,
    pub name: String,
}

/// `/insights`: the communities whose insights the viewer may see.
pub fn insights_index(chrome: &Chrome, communities: &[InsightsLink]) -> String {
    let body = html! {
        h1 { (chrome.t("insights-title")) }
        @if communities.is_empty() {
            p { (chrome.t("insights-none")) }
        } @else {
            ul {
                @for c in communities {
                    li { a href={ "/insights/" (c.slug) } { (c.name) } }
                }
            }
        }
    };
    page(chrome, &chrome.t("insights-title"), body)
}

const COLOURS: [&str; 6] = [
    "#1b6ca8", "#c0392b", "#2e8540", "#8e44ad", "#b9770e", "#566573",
];
const DASHES: [&str; 6] = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2"];
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;

/// `/insights/{slug}`.
pub fn insights_page(chrome: &Chrome, view: &InsightsPage) -> String {
    let title = chrome.t_args(
        "insights-community-title",
        &[("community", view.community_name.as_str().into())],
    );
    let body = html! {
        h1 { (title) }
        p.method {
            (chrome.t("insights-method")) " "
            (chrome.t_args("insights-method-withheld", &[("below", view.below.to_string().into())]))
        }
        form.insights-range method="get" action={ "/insights/" (view.slug) } {
            label for="from" { (chrome.t("insights-from")) }
            input #from type="month" name="from" value=(view.from) required;
            label for="to" { (chrome.t("insights-to")) }
            input #to type="month" name="to" value=(view.to) required;
            button type="submit" { (chrome.t("insights-show")) }
        }
        p.downloads {
            (chrome.t("insights-download")) " "
            a href={ "/insights/" (view.slug) "/export?from=" (view.from) "&to=" (view.to) "&format=csv" } download { "CSV" }
            " · "
            a href={ "/insights/" (view.slug) "/export?from=" (view.from) "&to=" (view.to) "&format=json" } download { "JSON" }
        }
        @if let Some(nothing) = &view.nothing {
            p.notice role="status" { (nothing) }
        } @else {
            (members_section(chrome, view))
            @for chart in &view.charts { (line_chart_section(chrome, view, chart)) }
            (concerns_section(chrome, view))
            (heatmap_section(chrome, view))
        }
    };
    page(chrome, &title, body)
}

/// Text for inside hand-written SVG, escaped as maud escapes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn withheld_text(below: u32) -> String {
    format!("<{below}")
}

fn cell_td(cell: Cell, below: u32) -> Markup {
    match cell {
        Cell::Value(v) => html! { td.num { (v) } },
        Cell::Withheld => html! { td.num.withheld { (withheld_text(below)) } },
    }
}

fn total_td(total: Total, below: u32) -> Markup {
    match total {
        Total::Known(v) => html! { td.num { (v) } },
        Total::AtLeast(v) => html! { td.num.partly-withheld { (v) "+" } },
        Total::Withheld => html! { td.num.withheld { (withheld_text(below)) } },
    }
}

fn members_section(chrome: &Chrome, view: &InsightsPage) -> Markup {
    html! {
        section aria-labelledby="members-heading" {
            h2 #members-heading { (chrome.t("insights-members-heading")) }
            div.table-scroll {
                table {
                    caption { (chrome.t("insights-members-caption")) }
                    thead { tr { th scope="col" { (chrome.t("insights-month")) } @for m in &view.months { th scope="col" { (m) } } } }
                    tbody { tr { th scope="row" { (chrome.t("insights-members")) } @for cell in &view.members { (cell_td(*cell, view.below)) } } }
                }
            }
        }
    }
}

fn hatch_defs(id: &str) -> String {
    format!(
        r##"<defs><pattern id="hatch-{id}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#6b6b6b" stroke-width="3"/></pattern></defs>"##
    )
}

/// A round number at or above `max` for the top of an axis.
fn axis_top(max: u64) -> u64 {
    let max = max.max(11);
    let step = 10u64.pow(max.ilog10());
    max.div_ceil(step) * step
}

/// A chart's name in the reader's words.
fn chart_title(chrome: &Chrome, chart: &LineChart) -> String {
    match chart.id {
        "treatments" => chrome.t("insights-svg-treatments"),
        "side-effects" => chrome.t("insights-svg-side-effects"),
        _ => chrome.t("insights-svg-concerns"),
    }
}

#[allow(clippy::cast_precision_loss)]
fn line_chart_svg(chrome: &Chrome, view: &InsightsPage, chart: &LineChart) -> String {
    let months = view.months.len().max(1);
    let top = axis_top(
        chart
            .series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter_map(|c| match c {
                Cell::Value(v) => Some(*v),
                Cell::Withheld => None,
            })
            .max()
            .unwrap_or(0),
    );
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| {
        if months == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (months - 1) as f64
        }
    };
    let y = |v: u64| TOP + plot_h - plot_h * v as f64 / top as f64;
    let id = chart.id;
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-svg-title"><title id="{id}-svg-title">{title}</title>"#,
        title = escape(&chrome.t_args(
            "insights-svg-line-title",
            &[("chart", chart_title(chrome, chart).into())]
        ))
    );
    svg.push_str(&hatch_defs(id));
    // Axes, with the top and middle of the scale and the first and last month.
    let _ = write!(
        svg,
        r##"<g class="axis" stroke="#8a8a8a"><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{b}"/><line x1="{LEFT}" y1="{b}" x2="{r}" y2="{b}"/></g>"##,
        b = TOP + plot_h,
        r = WIDTH - RIGHT
    );
    for value in [0, top / 2, top] {
        let _ = write!(
            svg,
            r#"<text x="{tx}" y="{ty}" text-anchor="end" font-size="11" fill="currentColor">{value}</text>"#,
            tx = LEFT - 4.0,
            ty = y(value) + 4.0
        );
    }
    let last = months - 1;
    for (i, month) in view.months.iter().enumerate() {
        if i == 0 || i == last || months <= 6 {
            let _ = write!(
                svg,
                r#"<text x="{tx}" y="{ty}" text-anchor="middle" font-size="11" fill="currentColor">{month}</text>"#,
                tx = x(i),
                ty = HEIGHT - BOTTOM + 16.0
            );
        }
    }
    for (n, series) in chart.series.iter().enumerate() {
        let colour = COLOURS[n % COLOURS.len()];
        let dash = DASHES[n % DASHES.len()];
        // Lines only join published neighbours: a withheld month breaks the line.
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut runs = Vec::new();
        for (i, cell) in series.points.iter().enumerate() {
            match cell {
                Cell::Value(v) => run.push((x(i), y(*v))),
                Cell::Withheld => runs.push(std::mem::take(&mut run)),
            }
        }
        runs.push(run);
        for run in runs.iter().filter(|r| !r.is_empty()) {
            let points: Vec<String> = run
                .iter()
                .map(|(px, py)| format!("{px:.1},{py:.1}"))
                .collect();
            let _ = write!(
                svg,
                r#"<polyline fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}" points="{}"/>"#,
                points.join(" ")
            );
            for (px, py) in run {
                let _ = write!(
                    svg,
                    r#"<circle cx="{px:.1}" cy="{py:.1}" r="3" fill="{colour}"/>"#
                );
            }
        }
        // A withheld month: a hatched box over the band below the threshold, not a zero.
        for (i, cell) in series.points.iter().enumerate() {
            if *cell == Cell::Withheld {
                let band_top = y(u64::from(view.below));
                let _ = write!(
                    svg,
                    r#"<rect class="withheld" x="{bx:.1}" y="{band_top:.1}" width="8" height="{h:.1}" fill="url(#hatch-{id})" stroke="{colour}"><title>{title}</title></rect>"#,
                    bx = x(i) - 4.0,
                    h = TOP + plot_h - band_top,
                    title = escape(&chrome.t_args(
                        "insights-svg-withheld-point",
                        &[
                            ("series", series.label.as_str().into()),
                            (
                                "month",
                                view.months.get(i).map_or("", String::as_str).into()
                            ),
                            ("below", i64::from(view.below).into()),
                        ],
                    )),
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

fn legend(chrome: &Chrome, chart: &LineChart, below: u32) -> Markup {
    html! {
        ul.legend {
            @for (n, series) in chart.series.iter().enumerate() {
                li {
                    (PreEscaped(format!(
                        r#"<svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke="{}" stroke-width="2" stroke-dasharray="{}"/></svg>"#,
                        COLOURS[n % COLOURS.len()], DASHES[n % DASHES.len()]
                    )))
                    " " (series.label)
                }
            }
            li { span.swatch.withheld aria-hidden="true" {} " " (chrome.t_args("insights-legend-withheld", &[("below", below.to_string().into())])) }
        }
    }
}

fn line_chart_section(chrome: &Chrome, view: &InsightsPage, chart: &LineChart) -> Markup {
    let heading = format!("{}-heading", chart.id);
    html! {
        section aria-labelledby=(heading) {
            h2 id=(heading) { (chrome.t_args("insights-chart-heading", &[("chart", chart_title(chrome, chart).into())])) }
            @if chart.series.is_empty() {
                p { (chrome.t("insights-chart-all-withheld")) }
            } @else {
                figure {
                    (PreEscaped(line_chart_svg(chrome, view, chart)))
                    figcaption { (legend(chrome, chart, view.below)) }
                }
                div.table-scroll {
                    table id={ (chart.id) "-table" } {
                        caption { (chrome.t_args("insights-chart-caption", &[("chart", chart_title(chrome, chart).into())])) }
                        thead { tr { th scope="col" { (chrome.t("insights-term")) } @for m in &view.months { th scope="col" { (m) } } } }
                        tbody {
                            @for series in &chart.series {
                                tr {
                                    th scope="row" { (series.label) }
                                    @for cell in &series.points { (cell_td(*cell, view.below)) }
                                }
                            }
                        }
                    }
                }
            }
            @if !chart.quiet.is_empty() {
                p.muted { (chrome.t_args("insights-quiet", &[("terms", chart.quiet.join(", ").into())])) }
            }
        }
    }
}

#[allow(clippy::cast_precision_loss)]
fn concerns_svg(chrome: &Chrome, view: &InsightsPage) -> String {
    let rows = view.concerns.len();
    let row_h = 34.0;
    let height = TOP + row_h * rows as f64 + 8.0;
    let label_w = 150.0;
    let plot_w = WIDTH - label_w - 60.0;
    let top = axis_top(
        view.concerns
            .iter()
            .flat_map(|c| [c.this_period.amount(), c.last_period.amount()])
            .max()
            .unwrap_or(0),
    );
    let w = |v: u64| plot_w * v as f64 / top as f64;
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="concerns-svg-title"><title id="concerns-svg-title">{}</title>"#,
        escape(&chrome.t("insights-svg-concerns-title"))
    );
    svg.push_str(&hatch_defs("concerns"));
    for (i, row) in view.concerns.iter().enumerate() {
        let y0 = TOP + row_h * i as f64;
        let _ = write!(
            svg,
            r#"<text x="{lx}" y="{ty:.1}" text-anchor="end" font-size="12" fill="currentColor">{label}</text>"#,
            lx = label_w - 6.0,
            ty = y0 + 16.0,
            label = escape(&row.label)
        );
        for (j, (total, colour)) in [(row.this_period, COLOURS[0]), (row.last_period, "#9aa5b1")]
            .into_iter()
            .enumerate()
        {
            let by = y0 + 2.0 + 13.0 * j as f64;
            let (bar, text) = match total {
                Total::Withheld => (
                    format!(
                        r#"<rect class="withheld" x="{label_w}" y="{by:.1}" width="{bw:.1}" height="11" fill="url(#hatch-concerns)" stroke="{colour}"/>"#,
                        bw = w(u64::from(view.below))
                    ),
                    format!("<{}", view.below),
                ),
                Total::Known(v) | Total::AtLeast(v) => (
                    format!(
                        r#"<rect x="{label_w}" y="{by:.1}" width="{bw:.1}" height="11" fill="{colour}"/>"#,
                        bw = w(v)
                    ),
                    if matches!(total, Total::AtLeast(_)) {
                        format!("{v}+")
                    } else {
                        v.to_string()
                    },
                ),
            };
            svg.push_str(&bar);
            let _ = write!(
                svg,
                r#"<text x="{tx:.1}" y="{ty:.1}" font-size="10" fill="currentColor">{}</text>"#,
                escape(&text),
                tx = label_w
                    + w(match total {
                        Total::Withheld => u64::from(view.below),
                        _ => total.amount(),
                    })
                    + 4.0,
                ty = by + 9.5
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn concerns_section(chrome: &Chrome, view: &InsightsPage) -> Markup {
    html! {
        section aria-labelledby="concerns-top-heading" {
            h2 #concerns-top-heading { (chrome.t_args("insights-concerns-heading", &[("from", view.from.as_str().into()), ("to", view.to.as_str().into()), ("lastfrom", view.last_from.as_str().into()), ("lastto", view.last_to.as_str().into())])) }
            @if view.concerns.is_empty() {
                p { (chrome.t("insights-concerns-all-withheld")) }
            } @else {
                figure {
                    (PreEscaped(concerns_svg(chrome, view)))
                    figcaption {
                        (chrome.t("insights-concerns-figcaption"))
                    }
                }
                table #concerns-table {
                    caption { (chrome.t("insights-concerns-caption")) }
                    thead { tr { th scope="col" { (chrome.t("insights-concern")) } th scope="col" { (chrome.t("insights-this-period")) } th scope="col" { (chrome.t("insights-period-before")) } } }
                    tbody {
                        @for row in &view.concerns {
                            tr {
                                th scope="row" { (row.label) }
                                (total_td(row.this_period, view.below))
                                (total_td(row.last_period, view.below))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The shade of a heatmap cell: light to dark with the count.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn shade(v: u64, max: u64) -> String {
    let t = v as f64 / max.max(1) as f64;
    let light = (235.0 - 150.0 * t).round() as u8;
    format!("rgb({light},{},{})", light.saturating_add(10), 250)
}

#[allow(clippy::cast_precision_loss)]
fn heatmap_svg(chrome: &Chrome, view: &InsightsPage) -> String {
    let map = &view.heatmap;
    let (label_w, head_h, cell_w, cell_h) = (140.0, 90.0, 56.0, 26.0);
    let width = label_w + cell_w * map.side_effects.len() as f64 + 8.0;
    let height = head_h + cell_h * map.treatments.len() as f64 + 8.0;
    let max = map
        .cells
        .iter()
        .flatten()
        .map(|c| c.amount())
        .max()
        .unwrap_or(1);
    let mut svg = format!(
        r#"<svg class="chart heatmap" viewBox="0 0 {width} {height}" role="img" aria-labelledby="heatmap-svg-title"><title id="heatmap-svg-title">{}</title>"#,
        escape(&chrome.t("insights-svg-heatmap-title"))
    );
    svg.push_str(&hatch_defs("heatmap"));
    for (j, side_effect) in map.side_effects.iter().enumerate() {
        let cx = label_w + cell_w * j as f64 + cell_w / 2.0;
        let _ = write!(
            svg,
            r#"<text transform="translate({cx:.1},{hy}) rotate(-40)" font-size="11" fill="currentColor">{}</text>"#,
            escape(side_effect),
            hy = head_h - 6.0
        );
    }
    for (i, treatment) in map.treatments.iter().enumerate() {
        let y0 = head_h + cell_h * i as f64;
        let _ = write!(
            svg,
            r#"<text x="{lx}" y="{ty:.1}" text-anchor="end" font-size="11" fill="currentColor">{}</text>"#,
            escape(treatment),
            lx = label_w - 6.0,
            ty = y0 + 17.0
        );
        for (j, total) in map.cells[i].iter().enumerate() {
            let x0 = label_w + cell_w * j as f64;
            let (fill, class, text) = match total {
                Total::Withheld => (
                    "url(#hatch-heatmap)".to_owned(),
                    " class=\"withheld\"",
                    format!("<{}", view.below),
                ),
                Total::Known(v) => (shade(*v, max), "", v.to_string()),
                Total::AtLeast(v) => (shade(*v, max), "", format!("{v}+")),
            };
            let _ = write!(
                svg,
                r##"<rect{class} x="{x0:.1}" y="{y0:.1}" width="{cell_w}" height="{cell_h}" fill="{fill}" stroke="#ffffff"/><text x="{tx:.1}" y="{ty:.1}" text-anchor="middle" font-size="11" fill="#111111">{}</text>"##,
                escape(&text),
                tx = x0 + cell_w / 2.0,
                ty = y0 + 17.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn heatmap_section(chrome: &Chrome, view: &InsightsPage) -> Markup {
    let map = &view.heatmap;
    html! {
        section aria-labelledby="heatmap-heading" {
            h2 #heatmap-heading { (chrome.t("insights-heatmap-heading")) }
            @if map.treatments.is_empty() {
                p { (chrome.t("insights-heatmap-all-withheld")) }
            } @else {
                figure {
                    (PreEscaped(heatmap_svg(chrome, view)))
                    figcaption { (chrome.t("insights-heatmap-figcaption")) }
                }
                div.table-scroll {
                    table #heatmap-table {
                        caption { (chrome.t("insights-heatmap-caption")) }
                        thead { tr { th scope="col" { (chrome.t("insights-treatment")) } @for s in &map.side_effects { th scope="col" { (s) } } } }
                        tbody {
                            @for (i, t) in map.treatments.iter().enumerate() {
                                tr {
                                    th scope="row" { (t) }
                                    @for total in &map.cells[i] { (total_td(*total, view.below)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_never_turn_withheld_months_into_zero() {
        use Cell::{Value, Withheld};
        assert_eq!(Total::of([Value(12), Value(14)]), Total::Known(26));
        assert_eq!(Total::of([Value(12), Withheld]), Total::AtLeast(12));
        assert_eq!(Total::of([Withheld, Withheld]), Total::Withheld);
        assert_eq!(Total::of([Value(0), Withheld]), Total::Withheld);
        assert_eq!(Total::of([]), Total::Known(0));
    }

    #[test]
    fn axis_tops_are_round_and_above_the_threshold() {
        assert_eq!(axis_top(0), 20);
        assert_eq!(axis_top(37), 40);
        assert_eq!(axis_top(120), 200);
    }
}
