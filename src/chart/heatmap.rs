//! Busiest hours: tickets created per weekday and hour, as a grid of cells whose colour deepens
//! with the count, from a pale blue to Okabe–Ito blue (one hue, so it reads the same with any
//! colour vision). Counts are written in the cells when they fit.

use super::*;

/// Days (rows) and hours (columns) of the grid.
const DAYS: usize = 7;
const HOURS: usize = 24;
/// Hours between two hour labels, at least (more when the labels do not fit).
const HOUR_LABEL_STEP: usize = 3;
/// Colour of a cell without tickets: neutral, so "none" differs from "a few".
pub(super) const ZERO: RGBColor = RGBColor(0xF2, 0xF2, 0xF2);
/// Colour of a cell with the fewest tickets above zero; the ramp ends at [`BLUE`].
pub(super) const LOW: RGBColor = RGBColor(0xDE, 0xEB, 0xF7);
/// Swatches in the colour-scale legend, zero included.
const SCALE_SWATCHES: usize = 5;

/// The colour of a cell holding `count` of at most `max` tickets: linear in the count.
pub(super) fn heat_color(count: u64, max: u64) -> RGBColor {
    if count == 0 || max == 0 {
        return ZERO;
    }
    ramp(count as f64 / max as f64)
}

/// The colour at `t` (0–1) between [`LOW`] and [`BLUE`].
fn ramp(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    RGBColor(mix(LOW.0, BLUE.0), mix(LOW.1, BLUE.1), mix(LOW.2, BLUE.2))
}

/// WCAG relative luminance of `c`.
fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// White or dark text, whichever contrasts more with `fill`.
pub(super) fn text_on(fill: RGBColor) -> RGBColor {
    let l = luminance(fill);
    let on_white = 1.05 / (l + 0.05);
    let on_dark = (l + 0.05) / (luminance(TEXT) + 0.05);
    if on_white > on_dark {
        WHITE
    } else {
        TEXT
    }
}

pub(super) fn heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    st: &Style,
) -> DrawResult<(), DB> {
    // Rows and hours beyond the grid are ignored, missing ones count as zero.
    let cell = |d: usize, h: usize| {
        report
            .heatmap
            .get(d)
            .and_then(|row| row.get(h))
            .copied()
            .unwrap_or(0)
    };
    let max = (0..DAYS)
        .flat_map(|d| (0..HOURS).map(move |h| (d, h)))
        .map(|(d, h)| cell(d, h))
        .max()
        .unwrap_or(0);
    if max == 0 {
        return st.empty(area);
    }

    let label_style = st.font(LABEL_PX, TEXT);
    let line_h = st.line_height(area, &label_style)?;
    let (legend_area, grid_area) = area.split_vertically(line_h + st.px(8.0));
    scale_legend(&legend_area, st, max)?;

    let (w, h) = grid_area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let names: Vec<String> = st
        .theme
        .weekdays
        .iter()
        .map(|d| truncate_label(d, MAX_NAME_CHARS))
        .collect();
    let pad = st.px(6.0);
    let name_w = (st.widest(&grid_area, &names, &label_style)? + pad).min(w * 3 / 10);
    let left = st.px(MARGIN_PX) + name_w;
    let right = w - st.px(MARGIN_PX);
    let top = st.px(4.0);
    let bottom = h - st.px(MARGIN_PX) - line_h - st.px(TICK_PX);
    if right - left < HOURS as i32 || bottom - top < DAYS as i32 {
        return Ok(());
    }
    // Cell edges spread the rounding so the grid fills its box exactly.
    let xs = |c: usize| left + ((right - left) as f64 * c as f64 / HOURS as f64).round() as i32;
    let ys = |r: usize| top + ((bottom - top) as f64 * r as f64 / DAYS as f64).round() as i32;
    let cell_w = (right - left) / HOURS as i32;
    let cell_h = (bottom - top) / DAYS as i32;
    // White gaps between cells, once cells are large enough to spare them.
    let gap = if cell_w >= 4 * st.px(1.0) && cell_h >= 4 * st.px(1.0) {
        st.px(1.0)
    } else {
        0
    };

    for d in 0..DAYS {
        for hr in 0..HOURS {
            let fill = heat_color(cell(d, hr), max);
            grid_area.draw(&Rectangle::new(
                [(xs(hr), ys(d)), (xs(hr + 1) - gap, ys(d + 1) - gap)],
                fill.filled(),
            ))?;
        }
    }

    // Weekday names right-aligned before their rows.
    let name_style = label_style.pos(Pos::new(HPos::Right, VPos::Center));
    for (d, name) in names.iter().enumerate() {
        let cy = (ys(d) + ys(d + 1) - gap) / 2;
        grid_area.draw_text(name, &name_style, (left - pad, cy))?;
    }

    // Hours under their columns, every third hour or sparser when they do not fit.
    let hour_style = label_style.pos(Pos::new(HPos::Center, VPos::Top));
    let hour_texts: Vec<String> = (0..HOURS).map(|hr| format!("{hr:02}")).collect();
    let label_w = st.widest(&grid_area, &hour_texts, &hour_style)? + st.px(LABEL_GAP_PX);
    let step = HOUR_LABEL_STEP * label_step(HOURS / HOUR_LABEL_STEP, label_w, right - left);
    for hr in (0..HOURS).step_by(step) {
        let cx = (xs(hr) + xs(hr + 1) - gap) / 2;
        grid_area.draw_text(&hour_texts[hr], &hour_style, (cx, bottom + st.px(TICK_PX)))?;
    }

    // Counts inside the cells, when the largest one fits with some air around it.
    let value_style = st
        .font(VALUE_PX, TEXT)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let (text_w, text_h) = grid_area.estimate_text_size(&compact(max as f64), &value_style)?;
    let fits =
        cell_w - gap >= text_w as i32 + st.px(4.0) && cell_h - gap >= text_h as i32 + st.px(2.0);
    if fits {
        for d in 0..DAYS {
            for hr in 0..HOURS {
                let count = cell(d, hr);
                if count == 0 {
                    continue;
                }
                let ink = text_on(heat_color(count, max));
                let style = value_style.color(&ink);
                let center = (
                    (xs(hr) + xs(hr + 1) - gap) / 2,
                    (ys(d) + ys(d + 1) - gap) / 2,
                );
                grid_area.draw_text(&compact(count as f64), &style, center)?;
            }
        }
    }
    Ok(())
}

/// The colour scale in one row at the right of `area`: `0`, the swatches from empty to full,
/// the largest count.
fn scale_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    max: u64,
) -> DrawResult<(), DB> {
    let style = st
        .font(LABEL_PX, TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (w, h) = area.dim_in_pixel();
    let swatch = st.px(12.0);
    let gap = st.px(5.0);
    let (lo, hi) = ("0".to_string(), compact(max as f64));
    let lo_w = area.estimate_text_size(&lo, &style)?.0 as i32;
    let hi_w = area.estimate_text_size(&hi, &style)?.0 as i32;
    let total = lo_w + gap + SCALE_SWATCHES as i32 * swatch + gap + hi_w;
    let mut x = (w as i32 - st.px(MARGIN_PX) - total).max(st.px(MARGIN_PX));
    let cy = h as i32 / 2;
    area.draw_text(&lo, &style, (x, cy))?;
    x += lo_w + gap;
    for i in 0..SCALE_SWATCHES {
        let fill = if i == 0 {
            ZERO
        } else {
            ramp(i as f64 / (SCALE_SWATCHES - 1) as f64)
        };
        area.draw(&Rectangle::new(
            [(x, cy - swatch / 2), (x + swatch, cy + swatch / 2)],
            fill.filled(),
        ))?;
        x += swatch;
    }
    area.draw_text(&hi, &style, (x + gap, cy))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::tests::*;

    /// The grid's cells: the filled rectangles taller than a legend swatch, top-left first.
    fn cells(svg: &str, scale: f64) -> Vec<El> {
        let mut cells: Vec<El> = elements(svg)
            .into_iter()
            .filter(|e| {
                e.tag == "rect"
                    && e.get("fill") != Some("#FFFFFF")
                    && e.num("height") > 13.0 * scale
            })
            .collect();
        cells.sort_by(|a, b| {
            (a.num("y"), a.num("x"))
                .partial_cmp(&(b.num("y"), b.num("x")))
                .unwrap()
        });
        cells
    }

    fn inside(cell: &El, x: f64, y: f64) -> bool {
        (cell.num("x")..=cell.num("x") + cell.num("width")).contains(&x)
            && (cell.num("y")..=cell.num("y") + cell.num("height")).contains(&y)
    }

    /// Wednesday 14:00 is the busiest hour (40), Wednesday 15:00 has 20, 09:00 has one ticket
    /// every day.
    fn busy() -> Report {
        let mut r = report();
        r.heatmap = heat(|d, h| match (d, h) {
            (2, 14) => 40,
            (2, 15) => 20,
            (_, 9) => 1,
            _ => 0,
        });
        r
    }

    #[test]
    fn a_cell_per_day_and_hour_coloured_by_count() {
        let s = svg(ChartKind::Heatmap, &busy());
        let cells = cells(&s, 1.0);
        assert_eq!(cells.len(), 7 * 24);
        let fill = |c: &El| c.get("fill").unwrap().to_string();
        // Row by row: cell (d, h) is cells[d * 24 + h].
        assert_eq!(
            fill(&cells[2 * 24 + 14]),
            hex(BLUE),
            "the busiest hour is full blue"
        );
        assert_eq!(fill(&cells[2 * 24 + 15]), hex(heat_color(20, 40)));
        assert_eq!(fill(&cells[9]), hex(heat_color(1, 40)));
        assert_eq!(
            cells.iter().filter(|c| fill(c) == hex(ZERO)).count(),
            168 - 7 - 2
        );
        // The ramp darkens with the count, and zero differs from one.
        let lum = |n: u64| luminance(heat_color(n, 40));
        assert!(lum(0) > lum(1) && lum(1) > lum(20) && lum(20) > lum(40));
        // Rows align, columns align, and cells never overlap.
        for d in 0..7 {
            let row = &cells[d * 24..(d + 1) * 24];
            assert!(row.iter().all(|c| c.num("y") == row[0].num("y")));
            assert!(row
                .windows(2)
                .all(|w| w[0].num("x") + w[0].num("width") < w[1].num("x")));
        }
    }

    #[test]
    fn weekday_rows_and_hour_columns_are_labelled() {
        let s = svg(ChartKind::Heatmap, &busy());
        let cells = cells(&s, 1.0);
        let t = texts(&s);
        // Weekday names top to bottom, each centred on its row, right-aligned before the grid.
        for (d, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            .iter()
            .enumerate()
        {
            let label = text_of(&t, name).unwrap_or_else(|| panic!("{name} missing"));
            let first = &cells[d * 24];
            assert!(inside(first, first.num("x"), label.num("y")), "{name}");
            assert_eq!(label.get("text-anchor"), Some("end"));
            assert!(label.num("x") < first.num("x"));
        }
        // Every third hour, under its column.
        for h in (0..24).step_by(3) {
            let name = format!("{h:02}");
            let label = text_of(&t, &name).unwrap_or_else(|| panic!("{name} missing"));
            let col = &cells[6 * 24 + h];
            assert!(inside(col, label.num("x"), col.num("y")), "{name}");
            assert!(label.num("y") > col.num("y") + col.num("height"));
        }
        for h in [1, 2, 4, 13, 23] {
            assert!(text_of(&t, &format!("{h:02}")).is_none());
        }
        // The colour scale: 0, swatches, the largest count.
        assert!(text_of(&t, "0").is_some() && text_of(&t, "40").is_some());
    }

    #[test]
    fn counts_are_written_in_cells_big_enough_to_hold_them() {
        let r = busy();
        let s = svg(ChartKind::Heatmap, &r);
        let cells = cells(&s, 1.0);
        let t = texts(&s);
        // The legend writes "40" too: the cell's is the one inside the busiest cell.
        let busiest = &cells[2 * 24 + 14];
        let forty = t
            .iter()
            .find(|e| e.text == "40" && inside(busiest, e.num("x"), e.num("y")))
            .expect("count in the busiest cell");
        assert_eq!(forty.get("fill"), Some("#FFFFFF"), "white on dark blue");
        assert_eq!(forty.get("text-anchor"), Some("middle"));
        let twenty = text_of(&t, "20").unwrap();
        assert!(inside(
            &cells[2 * 24 + 15],
            twenty.num("x"),
            twenty.num("y")
        ));
        // Light cells get dark text; empty cells get none.
        let ones: Vec<&El> = t.iter().filter(|e| e.text == "1").collect();
        assert_eq!(ones.len(), 7);
        assert!(ones.iter().all(|e| e.get("fill") == Some("#333333")));
        assert_eq!(
            t.iter().filter(|e| e.text == "0").count(),
            1,
            "only the legend's"
        );

        // Small: cells too narrow for the text, so only labels remain.
        let s = to_svg(ChartKind::Heatmap, &r, &Theme::default(), 360, 180);
        assert_eq!(cells_len(&s), 168);
        let t = texts(&s);
        assert!(t.iter().all(|e| e.text != "1" && e.text != "20"));
        assert_eq!(t.iter().filter(|e| e.text == "40").count(), 1);
        assert!(text_of(&t, "Wed").is_some());
    }

    fn cells_len(s: &str) -> usize {
        elements(s)
            .iter()
            .filter(|e| {
                e.tag == "rect" && e.get("fill") != Some("#FFFFFF") && e.num("height") > 12.0
            })
            .count()
    }

    #[test]
    fn weekday_names_come_from_the_theme() {
        let mut r = busy();
        // A week starting on Sunday: the report's rows start on Sunday, so do the names.
        r.period.week_start = 6;
        let theme = Theme {
            weekdays: english_weekdays(r.period.week_start),
            ..Theme::default()
        };
        let s = to_svg(ChartKind::Heatmap, &r, &theme, 800, 400);
        let t = texts(&s);
        let y = |n: &str| text_of(&t, n).unwrap().num("y");
        assert!(y("Sun") < y("Mon") && y("Fri") < y("Sat"));

        let theme = Theme {
            weekdays: [
                "Pazartesi",
                "Salı",
                "Çarşamba",
                "Perşembe",
                "Cuma",
                "Cumartesi",
                "Pazar",
            ]
            .map(String::from),
            ..Theme::default()
        };
        let s = to_svg(ChartKind::Heatmap, &r, &theme, 800, 400);
        let t = texts(&s);
        assert!(text_of(&t, "Çarşamba").is_some() && text_of(&t, "Pazar").is_some());
        assert!(text_of(&t, "Mon").is_none());
        // The name column widens for long names; the cells move right.
        let short = cells(&svg(ChartKind::Heatmap, &r), 1.0)[0].num("x");
        assert!(cells(&s, 1.0)[0].num("x") > short);
    }

    #[test]
    fn an_empty_week_shows_the_empty_text() {
        let mut r = report();
        r.heatmap = heat(|_, _| 0);
        let s = svg(ChartKind::Heatmap, &r);
        let t = texts(&s);
        assert_eq!(t.len(), 1);
        assert!(text_of(&t, "No data in this period").is_some());
        assert_eq!(cells_len(&s), 0);
    }

    #[test]
    fn scale_two_doubles_cells_gaps_and_fonts() {
        let r = busy();
        let one = svg(ChartKind::Heatmap, &r);
        let hidpi = Theme {
            scale: 2.0,
            ..Theme::default()
        };
        let two = to_svg(ChartKind::Heatmap, &r, &hidpi, 1600, 800);
        let (a, b) = (font_sizes(&one), font_sizes(&two));
        assert_eq!(a.len(), 2, "labels and counts: {a:?}");
        assert_eq!(a.iter().map(|s| s * 2.0).collect::<Vec<_>>(), b);
        let (c1, c2) = (cells(&one, 1.0), cells(&two, 2.0));
        assert_eq!(c2.len(), 168);
        let gap = |c: &[El]| c[1].num("x") - (c[0].num("x") + c[0].num("width"));
        assert_eq!((gap(&c1), gap(&c2)), (1.0, 2.0));
        let ratio = c2[30].num("width") / c1[30].num("width");
        assert!((ratio - 2.0).abs() < 0.1, "{ratio}");
    }

    #[test]
    fn text_colour_follows_contrast() {
        assert_eq!(text_on(BLUE), WHITE);
        assert_eq!(text_on(LOW), TEXT);
        assert_eq!(text_on(ZERO), TEXT);
        assert_eq!(heat_color(0, 0), ZERO);
        assert_eq!(heat_color(u64::MAX, u64::MAX), BLUE);
        assert_eq!(heat_color(1, u64::MAX), LOW);
    }
}
