// The Trends pane: live and historical signal plots.
// A placeholder that says what is not connected yet; the display engineer fills it (no fake data meanwhile).
export function TrendsPane() {
  return (
    <section className="placeholder">
      <p>Trends: not connected yet. No telemetry source is configured, so there is nothing to plot.</p>
    </section>
  );
}
