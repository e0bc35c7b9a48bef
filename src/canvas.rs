//! A canvas drawing backend for the browser that measures text with the canvas itself, and the
//! one backend type every chart is drawn through in the browser (canvas or SVG export).
//!
//! plotters-canvas measures label text by inserting a styled `<span>` into the page, which a
//! strict Content-Security-Policy (no `'unsafe-inline'` styles) blocks — labels then get wrong
//! sizes — and which forces a page layout per label. This wrapper answers
//! `estimate_text_size` with `CanvasRenderingContext2d::measureText` and delegates all drawing to
//! `CanvasBackend`.
//!
//! Code size: the chart code is generic over the backend, so drawing to a canvas and exporting
//! SVG with two backend types would compile every chart twice. [`Canvas`] also wraps plotters'
//! `SVGBackend` ([`Canvas::svg`], used by `chart::to_svg` in the browser build), so the wasm holds
//! one copy of the charts; the SVG drawn through it is the same as with `SVGBackend` directly.

use plotters::backend::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use std::fmt;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The canvas backend with text measured by the canvas itself (`measureText`, with the font
/// string `CanvasBackend::draw_text` sets). plotters' own wasm text measurement appends a
/// `<span>` styled through a `style` attribute, which a strict Content-Security-Policy without
/// `'unsafe-inline'` styles blocks (the labels are then laid out with wrong sizes) and which
/// forces a page layout per label. Everything else is `CanvasBackend`'s.
///
/// Made by [`Canvas::svg`], it is plotters' `SVGBackend` writing into a string instead (every
/// call delegated, text measured by plotters' estimate as `SVGBackend` does).
pub struct Canvas<'a> {
    inner: Inner<'a>,
}

enum Inner<'a> {
    Canvas {
        backend: CanvasBackend,
        context: CanvasRenderingContext2d,
    },
    Svg(SVGBackend<'a>),
}

impl Canvas<'static> {
    /// Wraps `canvas`; `None` when it has no 2d context.
    pub fn new(canvas: HtmlCanvasElement) -> Option<Canvas<'static>> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Canvas {
            inner: Inner::Canvas {
                backend: CanvasBackend::with_canvas_object(canvas)?,
                context,
            },
        })
    }
}

impl<'a> Canvas<'a> {
    /// An SVG document of `size` pixels written into `out` (`SVGBackend::with_string`).
    pub fn svg(out: &'a mut String, size: (u32, u32)) -> Canvas<'a> {
        Canvas {
            inner: Inner::Svg(SVGBackend::with_string(out, size)),
        }
    }
}

type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;

/// A drawing error of either backend (its message is the backend's own).
#[derive(Debug)]
pub enum Error {
    Canvas(CanvasError),
    Svg(std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Canvas(e) => e.fmt(f),
            Error::Svg(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

type Result<T = ()> = std::result::Result<T, DrawingErrorKind<Error>>;

/// A backend's result with its error wrapped in [`Error`].
fn wrap<T, E: std::error::Error + Send + Sync>(
    r: std::result::Result<T, DrawingErrorKind<E>>,
    f: fn(E) -> Error,
) -> Result<T> {
    r.map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => DrawingErrorKind::DrawingError(f(e)),
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    })
}

/// Calls `$call` on the inner backend (`$b`), errors wrapped.
macro_rules! delegate {
    ($self:expr, $b:ident => $call:expr) => {
        match $self {
            Inner::Canvas { backend: $b, .. } => wrap($call, Error::Canvas),
            Inner::Svg($b) => wrap($call, Error::Svg),
        }
    };
}

impl DrawingBackend for Canvas<'_> {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        match &self.inner {
            Inner::Canvas { backend, .. } => backend.get_size(),
            Inner::Svg(b) => b.get_size(),
        }
    }
    fn ensure_prepared(&mut self) -> Result {
        delegate!(&mut self.inner, b => b.ensure_prepared())
    }
    fn present(&mut self) -> Result {
        delegate!(&mut self.inner, b => b.present())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result {
        delegate!(&mut self.inner, b => b.draw_pixel(point, color))
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result {
        delegate!(&mut self.inner, b => b.draw_line(from, to, style))
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        delegate!(&mut self.inner, b => b.draw_rect(upper_left, bottom_right, style, fill))
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        delegate!(&mut self.inner, b => b.draw_path(path, style))
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result {
        delegate!(&mut self.inner, b => b.draw_circle(center, radius, style, fill))
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result {
        delegate!(&mut self.inner, b => b.fill_polygon(vert, style))
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result {
        delegate!(&mut self.inner, b => b.draw_text(text, style, pos))
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result {
        delegate!(&mut self.inner, b => b.blit_bitmap(pos, size, src))
    }
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32)> {
        let context = match &self.inner {
            Inner::Canvas { context, .. } => context,
            Inner::Svg(b) => return wrap(b.estimate_text_size(text, style), Error::Svg),
        };
        let size = style.size();
        context.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            size,
            style.family().as_str(),
        ));
        let (width, height) = match context.measure_text(text) {
            Ok(m) => (
                m.width(),
                m.font_bounding_box_ascent() + m.font_bounding_box_descent(),
            ),
            Err(_) => (0.6 * size * text.chars().count() as f64, 0.0),
        };
        let height = if height.is_finite() && height > 0.0 {
            height
        } else {
            1.2 * size
        };
        Ok((width.max(0.0).ceil() as u32, height.ceil() as u32))
    }
}
