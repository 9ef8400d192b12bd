// The Map pane: feeder geography and one-line with live values.
// A placeholder that says what is not connected yet; the display engineer fills it (no fake data meanwhile).
export function MapPane() {
  return (
    <section className="placeholder">
      <p>Feeder map: not connected yet. It will show the feeder one-line and live bus voltages once a feeder model and telemetry are configured.</p>
    </section>
  );
}
