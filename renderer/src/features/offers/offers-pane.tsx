// The Offers pane: grid-service offers and their settlement.
// A placeholder that says what is not connected yet; the display engineer fills it (no fake data meanwhile).
export function OffersPane() {
  return (
    <section className="placeholder">
      <p>Offers: not connected yet. No ledger is configured, so no grid-service offers or settlements can be shown.</p>
    </section>
  );
}
