// The Microgrids pane: grid-connect state and dispatch per microgrid.
// A placeholder that says what is not connected yet; the display engineer fills it (no fake data meanwhile).
export function MicrogridsPane() {
  return (
    <section className="placeholder">
      <p>Microgrids: not connected yet. No microgrid endpoint is configured.</p>
    </section>
  );
}
