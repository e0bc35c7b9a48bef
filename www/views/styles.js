// The stylesheet of the views in www/views/, as text: applied with a constructed stylesheet
// (adoptedStyleSheets) to the widget's shadow root or the page, so it needs no file of its own
// (and survives a single-file build) and no 'unsafe-inline' in the Content-Security-Policy.
// Uses the widget's --tk-* colours where the host defines them; logical properties so
// right-to-left languages mirror.
export const CSS = `.tkv {
  --tkv-good: var(--tk-good, #1f8a4c);
  --tkv-bad: var(--tk-bad, #b42318);
  --tkv-border: var(--tk-border, #e1e4ea);
  --tkv-muted: var(--tk-muted, #5d6677);
  --tkv-accent: var(--tk-accent, #2f63d8);
  --tkv-accent-soft: var(--tk-accent-soft, #e8eefc);
  --tkv-card: var(--tk-card, #fff);
  --tkv-warn-soft: var(--tk-warn-soft, #fff6e0);
  margin-bottom: 16px;
}

.tkv [hidden] {
  display: none !important;
}

.tkv .tk-visually-hidden {
  position: absolute !important;
  width: 1px !important;
  height: 1px !important;
  overflow: hidden !important;
  clip-path: inset(50%) !important;
  white-space: nowrap !important;
}

.tkv .tk-muted {
  color: var(--tkv-muted);
}

.tkv-controls {
  padding: 12px 14px;
  border: 1px solid var(--tkv-border);
  border-radius: var(--tk-radius, 10px);
  background: var(--tkv-card);
  margin-bottom: 10px;
}

.tkv-row {
  display: flex;
  flex-wrap: wrap;
  align-items: flex-end;
  gap: 8px 14px;
}

.tkv-row + .tkv-row,
.tkv-filter-row,
.tkv-targets-box {
  margin-top: 10px;
}

.tkv-field {
  display: flex;
  flex-direction: column;
  gap: 3px;
  min-width: 0;
}

.tkv-field label {
  font-size: 12px;
  font-weight: 600;
  color: var(--tkv-muted);
}

.tkv input,
.tkv select {
  font: inherit;
  font-size: 14px;
  padding: 5px 7px;
  border: 1px solid var(--tkv-border);
  border-radius: 6px;
  background: #fff;
  color: inherit;
  max-width: 100%;
}

.tkv input[type="checkbox"] {
  padding: 0;
  margin: 0;
}

.tkv-narrow input {
  width: 7em;
}

.tkv [aria-invalid="true"] {
  border-color: var(--tkv-bad);
  outline: 2px solid color-mix(in srgb, var(--tkv-bad) 30%, transparent);
}

.tkv :focus-visible {
  outline: 2px solid var(--tkv-accent);
  outline-offset: 2px;
}

.tkv-note {
  margin: 6px 0 0;
}

.tkv-row-label {
  font-size: 12px;
  font-weight: 600;
  color: var(--tkv-muted);
  align-self: center;
}

.tkv-filters {
  display: flex;
  flex-wrap: wrap;
  gap: 6px;
}

.tkv-dim {
  border: 1px solid var(--tkv-border);
  border-radius: 6px;
  padding: 3px 8px;
  background: #fff;
  position: relative;
}

.tkv-dim.is-active {
  border-color: var(--tkv-accent);
  background: var(--tkv-accent-soft);
}

.tkv-dim summary {
  cursor: pointer;
  font-size: 13px;
}

.tkv-dim-count {
  color: var(--tkv-muted);
}

.tkv-checks {
  display: flex;
  flex-direction: column;
  gap: 3px;
  padding: 6px 0 4px;
  max-height: 220px;
  overflow-y: auto;
}

.tkv-check {
  display: inline-flex;
  align-items: center;
  gap: 6px;
  font-size: 13px;
  white-space: nowrap;
}

.tkv-small-button {
  font-size: 13px;
  padding: 4px 10px;
}

.tkv-targets-box summary {
  cursor: pointer;
  font-weight: 600;
}

.tkv-fieldset {
  border: 1px solid var(--tkv-border);
  border-radius: 8px;
  margin: 10px 0 0;
  padding: 8px 12px 10px;
}

.tkv-fieldset legend {
  font-size: 13px;
  font-weight: 600;
  padding: 0 4px;
}

.tkv-bench-list {
  list-style: none;
  margin: 0 0 8px;
  padding: 0;
  display: flex;
  flex-direction: column;
  gap: 6px;
}

.tkv-views {
  display: flex;
  flex-wrap: wrap;
  gap: 4px;
  margin-bottom: 12px;
  border-bottom: 1px solid var(--tkv-border);
}

.tkv-view-button {
  font: inherit;
  font-size: 14px;
  padding: 7px 14px;
  border: 0;
  border-bottom: 3px solid transparent;
  background: none;
  color: var(--tkv-muted);
  cursor: pointer;
}

.tkv-view-button.is-active {
  color: inherit;
  font-weight: 600;
  border-bottom-color: var(--tkv-accent);
}

.tkv-panel {
  padding: 14px 16px;
  border: 1px solid var(--tkv-border);
  border-radius: var(--tk-radius, 10px);
  background: var(--tkv-card);
  margin-bottom: 16px;
}

.tkv-panel h2 {
  margin: 0 0 6px;
  font-size: 18px;
}

.tkv-panel h3 {
  margin: 0 0 8px;
  font-size: 15px;
}

.tkv-lead {
  margin: 0 0 12px;
  color: var(--tkv-muted);
}

.tkv-block {
  margin-top: 18px;
}

.tkv-caption {
  caption-side: top;
  text-align: start;
  font-size: 13px;
  color: var(--tkv-muted);
  padding-bottom: 4px;
}

.tkv-table td,
.tkv-table th {
  vertical-align: top;
}

.tkv-section-row th {
  background: #f6f7fa;
  font-size: 12px;
  text-transform: uppercase;
  letter-spacing: 0.03em;
  color: var(--tkv-muted);
}

.tkv-kpi-name .tkv-kpi-label {
  display: block;
  font-weight: 600;
  white-space: normal;
}

.tkv-sub {
  display: block;
  font-size: 12px;
  color: var(--tkv-muted);
  white-space: normal;
}

.tkv-big {
  font-size: 17px;
  font-weight: 650;
}

.tkv-summary.is-headline {
  color: inherit;
}

.tkv-change.is-better,
.tkv-insight.is-better .tkv-mark {
  color: var(--tkv-good);
}

.tkv-change.is-worse,
.tkv-insight.is-worse .tkv-mark {
  color: var(--tkv-bad);
}

.tkv-quality {
  display: block;
  font-size: 12px;
}

.tkv-spark-cell {
  width: 130px;
}

.tkv-spark {
  display: block;
  width: 120px;
  height: 32px;
}

.tkv-agent-spark {
  color: var(--tkv-accent);
  display: block;
}

.tkv-target progress {
  width: 110px;
  height: 8px;
  display: block;
  margin-top: 4px;
}

.tkv-target-line {
  display: flex;
  gap: 6px;
  align-items: baseline;
}

.tkv-badge {
  display: inline-block;
  padding: 0 7px;
  border-radius: 999px;
  font-size: 12px;
  font-weight: 600;
  line-height: 1.6;
  background: #eef0f4;
}

.tkv-badge.is-met {
  background: color-mix(in srgb, var(--tkv-good) 14%, #fff);
  color: var(--tkv-good);
}

.tkv-badge.is-missed {
  background: var(--tk-bad-soft, #fdecea);
  color: var(--tkv-bad);
}

.tkv-badge.is-off {
  color: var(--tkv-muted);
}

.tkv-missing,
.tkv-missing-block {
  color: #8a5a00;
  background: var(--tkv-warn-soft);
  white-space: normal;
}

.tkv-missing-block {
  padding: 6px 8px;
  border-radius: 6px;
}

.tkv-missing-label {
  font-weight: 600;
}

.tkv tr.is-unavailable th {
  color: var(--tkv-muted);
}

.tkv-plain-list {
  list-style: none;
  margin: 0;
  padding: 0;
}

.tkv-chart-row > td {
  background: #fafbfc;
}

.tkv-chart {
  margin: 0;
  min-width: 0;
}

.tkv-chart figcaption {
  font-weight: 600;
  margin-bottom: 6px;
}

.tkv-canvas-box {
  position: relative;
  height: 260px;
}

.tkv-canvas-box canvas {
  display: block;
  width: 100%;
  height: 100%;
}

.tkv-charts {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
  gap: 14px;
}

.tkv-numbers summary {
  cursor: pointer;
  font-size: 13px;
  margin-top: 6px;
}

.tkv-report-head {
  display: flex;
  justify-content: space-between;
  align-items: baseline;
  gap: 12px;
}

.tkv-periods .is-current {
  font-weight: 650;
}

.tkv-median-row th,
.tkv-median-row td {
  font-weight: 650;
  border-top: 2px solid var(--tkv-border);
}

.tkv-word-cols {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
  gap: 14px;
}

.tkv-words h4 {
  margin: 0 0 4px;
  font-size: 14px;
}

.tkv-words.is-good h4 {
  color: var(--tkv-good);
}

.tkv-words.is-bad h4 {
  color: var(--tkv-bad);
}

.tkv-word-list {
  margin: 0;
  padding-inline-start: 22px;
}

.tkv-private {
  padding: 8px 10px;
  border-inline-start: 4px solid var(--tkv-accent);
  background: var(--tkv-accent-soft);
  border-radius: 4px;
}

.tkv-insight-list {
  list-style: none;
  margin: 0;
  padding: 0;
  display: flex;
  flex-direction: column;
  gap: 6px;
}

.tkv-insight {
  font-size: 15px;
}

.tkv-import summary {
  cursor: pointer;
  font-weight: 600;
}

.tkv-import h3 {
  margin: 16px 0 6px;
  font-size: 14px;
}

.tkv-facts {
  display: grid;
  grid-template-columns: max-content 1fr;
  gap: 3px 14px;
  margin: 10px 0;
}

.tkv-facts dt {
  color: var(--tkv-muted);
}

.tkv-facts dd {
  margin: 0;
}

.tkv-sources tr.is-unused th,
.tkv-sources tr.is-unused td {
  color: var(--tkv-muted);
}

.tkv-support tr.is-unsupported th {
  color: var(--tkv-bad);
}

.tkv-source-note,
.tkv-hint,
.tkv-missing-text {
  white-space: normal;
  font-size: 13px;
}

.tkv-warnings {
  list-style: none;
  padding: 0;
}

.tkv-mapping tr.is-mapped code {
  font-weight: 600;
}

@media print {
  .tkv-noprint,
  .tkv-views,
  .tkv-open-chart {
    display: none !important;
  }
  .tkv-panel {
    border: 0;
    padding: 0;
  }
  .tkv .tk-table-scroll {
    overflow: visible;
  }
}
`;
