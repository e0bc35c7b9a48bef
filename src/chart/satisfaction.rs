//! Satisfied and dissatisfied ratings per bucket, as stacked bars.

use super::*;

pub(super) fn satisfaction<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    st: &Style,
) -> DrawResult<(), DB> {
    let s = &report.series;
    let n = s.satisfied.len().max(s.dissatisfied.len());
    let total = |i: usize| at(&s.satisfied, i) + at(&s.dissatisfied, i);
    let max = (0..n).map(total).fold(0.0, f64::max);
    if n == 0 || max <= 0.0 {
        return st.empty(area);
    }

    let plot_area = with_legend(
        area,
        st,
        &[
            (st.theme.satisfied_label.as_str(), Mark::Bar(GREEN)),
            (st.theme.dissatisfied_label.as_str(), Mark::Bar(VERMILLION)),
        ],
    )?;

    let labels = bucket_labels(report, n);
    let mut chart = bucket_chart(&plot_area, st, &labels, n, max)?;
    // Satisfied at the bottom, dissatisfied stacked on top; empty segments are not drawn.
    chart.draw_series(
        (0..n)
            .filter(|&i| at(&s.satisfied, i) > 0.0)
            .map(|i| bar(i, at(&s.satisfied, i), GREEN)),
    )?;
    chart.draw_series(
        (0..n)
            .filter(|&i| at(&s.dissatisfied, i) > 0.0)
            .map(|i| bar_between(i, at(&s.satisfied, i), total(i), VERMILLION)),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::tests::*;

    fn ratings(satisfied: &[u64], dissatisfied: &[u64]) -> Report {
        let mut r = report();
        r.series.labels = days(satisfied.len().max(dissatisfied.len()));
        r.series.satisfied = satisfied.to_vec();
        r.series.dissatisfied = dissatisfied.to_vec();
        r
    }

    /// The plot's bar segments of colour `c` (the legend swatch is the only square one).
    fn segments(s: &str, c: RGBColor) -> Vec<El> {
        let mut v: Vec<El> = rects(s, c)
            .into_iter()
            .filter(|e| e.num("width") != e.num("height"))
            .collect();
        v.sort_by(|a, b| a.num("x").total_cmp(&b.num("x")));
        v
    }

    #[test]
    fn dissatisfied_is_stacked_on_satisfied() {
        let r = ratings(&[4, 0, 6, 2], &[2, 3, 0, 2]);
        let s = svg(ChartKind::Satisfaction, &r);
        // Bars for non-zero segments only, plus one legend swatch each.
        assert_eq!(rects(&s, GREEN).len(), 3 + 1);
        assert_eq!(rects(&s, VERMILLION).len(), 3 + 1);
        let (green, red) = (segments(&s, GREEN), segments(&s, VERMILLION));
        assert_eq!((green.len(), red.len()), (3, 3));
        let base = green[0].num("y") + green[0].num("height");
        // Bucket 0: 4 satisfied, 2 dissatisfied on top of them, same column.
        let (g0, r0) = (&green[0], &red[0]);
        assert_eq!(g0.num("x"), r0.num("x"));
        assert!((r0.num("y") + r0.num("height") - g0.num("y")).abs() <= 1.0);
        assert!((g0.num("height") / r0.num("height") - 2.0).abs() < 0.05);
        // Bucket 1: only dissatisfied, standing on the baseline.
        let r1 = &red[1];
        assert!((r1.num("y") + r1.num("height") - base).abs() <= 1.0);
        // The tallest stack (bucket 2, 6) and bucket 0 (4 + 2) reach the same height.
        assert!((green[1].num("y") - r0.num("y")).abs() <= 1.0);
        // Every green segment stands on the baseline.
        assert!(green
            .iter()
            .all(|g| (g.num("y") + g.num("height") - base).abs() <= 1.0));
        let t = texts(&s);
        for label in ["Satisfied", "Dissatisfied", "2026-03-01", "2026-03-04"] {
            assert!(text_of(&t, label).is_some(), "{label} missing");
        }
    }

    #[test]
    fn legend_labels_are_translated_and_no_ratings_is_empty() {
        let theme = Theme {
            satisfied_label: "Tevreden".into(),
            dissatisfied_label: "Ontevreden".into(),
            empty_text: "Geen beoordelingen".into(),
            ..Theme::default()
        };
        let s = to_svg(
            ChartKind::Satisfaction,
            &ratings(&[1], &[1]),
            &theme,
            600,
            300,
        );
        let t = texts(&s);
        assert!(text_of(&t, "Tevreden").is_some() && text_of(&t, "Ontevreden").is_some());
        assert!(text_of(&t, "Satisfied").is_none());
        // Tickets but no ratings.
        let s = to_svg(
            ChartKind::Satisfaction,
            &ratings(&[0, 0], &[0, 0]),
            &theme,
            600,
            300,
        );
        let t = texts(&s);
        assert_eq!(t.len(), 1);
        assert!(text_of(&t, "Geen beoordelingen").is_some());
        assert_eq!(rects(&s, GREEN).len() + rects(&s, VERMILLION).len(), 0);
    }

    #[test]
    fn bars_of_a_loaded_dataset_match_its_ratings() {
        let json = r#"{"dataset": {"timezone": "UTC"}, "tickets": [
            {"id": "1", "created_at": "2026-03-02T09:00:00Z", "status": "solved",
             "solved_at": "2026-03-02T10:00:00Z",
             "satisfaction": {"score": 5, "at": "2026-03-02T11:00:00Z"}},
            {"id": "2", "created_at": "2026-03-02T09:00:00Z", "status": "solved",
             "solved_at": "2026-03-02T10:00:00Z",
             "satisfaction": {"score": 1, "at": "2026-03-02T12:00:00Z"}},
            {"id": "3", "created_at": "2026-03-03T09:00:00Z", "status": "open"},
            {"id": "4", "created_at": "2026-03-04T09:00:00Z", "status": "solved",
             "solved_at": "2026-03-04T10:00:00Z",
             "satisfaction": {"score": 4, "at": "2026-03-04T11:00:00Z"}}
        ]}"#;
        let data = crate::ingest::load(
            json.as_bytes(),
            &crate::ingest::IngestOptions {
                now: 1_800_000_000,
                ..Default::default()
            },
        )
        .unwrap();
        let r = crate::report::build(&data, &Default::default()).unwrap();
        assert_eq!(r.series.satisfied, [1, 0, 1]);
        assert_eq!(r.series.dissatisfied, [1, 0, 0]);
        let s = svg(ChartKind::Satisfaction, &r);
        assert_eq!(segments(&s, GREEN).len(), 2);
        assert_eq!(segments(&s, VERMILLION).len(), 1);
    }
}
