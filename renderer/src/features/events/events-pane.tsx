// The Events pane: ride-through events and the alarm list.
// A placeholder that says what is not connected yet; the display engineer fills it (no fake data meanwhile).
export function EventsPane() {
  return (
    <section className="placeholder">
      <p>Events and alarms: not connected yet. The analytics service that detects ride-through events is not running in this build.</p>
    </section>
  );
}
