// The operator display end to end against the real `exergy serve` with its embedded simulator: the map draws the
// IEEE 123-node feeder, a scripted fault recolours the faulted bus and is listed while it lasts, ack and shelve
// change the alarm and write the journal, playback recolours the map, the envelope plots the trajectory, axe passes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serve, SHOTS, type Served } from './harness';

let served: Served;
let browser: Browser;
let page: Page;

before(async () => {
  served = await serve();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await page.goto(served.url);
  await page.waitForFunction(() => !(document.querySelector('button[type=submit]') as HTMLButtonElement | null)?.disabled, undefined, { timeout: 15_000 });
  await page.getByLabel('User', { exact: true }).fill(served.user);
  await page.getByLabel('Password').fill(served.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Panes' }).waitFor();
});
after(async () => {
  await browser?.close();
  await served?.stop();
});

const shot = (pane: string) => page.screenshot({ path: join(SHOTS, `${pane}.png`) });
type MapHook = { busScreen(n: string): [number, number] | null; busClass(n: string): number };

async function pixelAt(name: string): Promise<[number, number, number]> {
  const xy = await page.evaluate((n) => (window as unknown as { __exergyMap: MapHook }).__exergyMap.busScreen(n), name);
  assert.ok(xy, `bus ${name} on screen`);
  const png = await page.screenshot({ clip: { x: Math.round(xy[0]) - 1, y: Math.round(xy[1]) - 1, width: 3, height: 3 } });
  const { data } = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = new OffscreenCanvas(3, 3);
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    return { data: [...g.getImageData(1, 1, 1, 1).data] };
  }, png.toString('base64'));
  return [data[0], data[1], data[2]];
}

/** Scripts a fault through the console's rehearsal panel (scenario.inject: embedded simulator only). */
async function injectFault(bus: string, durationS: number): Promise<void> {
  await page.keyboard.press('Alt+5');
  await page.getByLabel('Fault bus').fill(bus);
  await page.getByLabel('Fault kind').selectOption('3P');
  await page.getByLabel('Fault duration in seconds').fill(String(durationS));
  await page.getByTestId('inject-fault').click();
  const result = await page.getByTestId('inject-result').innerText({ timeout: 30_000 });
  assert.match(result, /^Good/, `scenario.inject: ${result}`);
}

test('the map draws the IEEE 123-node feeder with bus 150 in view', async () => {
  await page.keyboard.press('Alt+1');
  await page.locator('.feeder-map canvas').first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !!(window as unknown as { __exergyMap?: MapHook }).__exergyMap?.busScreen('150'), undefined, { timeout: 60_000 });
  const xy = await page.evaluate(() => (window as unknown as { __exergyMap: MapHook }).__exergyMap.busScreen('150'));
  const box = (await page.locator('.feeder-map').boundingBox())!;
  assert.ok(xy && xy[0] >= box.x && xy[0] <= box.x + box.width && xy[1] >= box.y && xy[1] <= box.y + box.height, `bus 150 at ${xy} inside ${JSON.stringify(box)}`);
  await page.waitForTimeout(1500);
  await shot('map');
});

test('a scripted fault recolours the faulted bus and is listed while it lasts; ack and shelve are journaled', async () => {
  const bus = '13';
  await page.keyboard.press('Alt+1');
  await page.waitForTimeout(1000);
  const before = await pixelAt(bus);
  await injectFault(bus, 20);
  await page.keyboard.press('Alt+1');
  await page.waitForFunction((n) => (window as unknown as { __exergyMap: MapHook }).__exergyMap.busClass(n) !== 0, bus, { timeout: 15_000 });
  await page.waitForTimeout(800);
  const during = await pixelAt(bus);
  assert.notDeepEqual(during, before, `pixel at bus ${bus} changes colour (${before} → ${during})`);
  await shot('map-fault');
  await page.keyboard.press('Alt+3');
  await page.locator('[data-testid="event-list"] tr[data-phase="open"]').first().waitFor({ timeout: 10_000 });
  await shot('events');
  await page.getByRole('tab', { name: /Alarms/ }).click();
  const row = page.locator('[data-testid="alarm-list"] tr[data-state="UNACK_ACTIVE"]').first();
  await row.waitFor({ timeout: 10_000 });
  const id = await row.getAttribute('data-alarm-id');
  await row.getByRole('button', { name: 'Acknowledge' }).click();
  await page.locator(`[data-alarm-id="${id}"][data-state="ACK_ACTIVE"], [data-alarm-id="${id}"][data-state="NORMAL"]`).first().waitFor({ timeout: 5000 });
  await page.locator(`[data-testid="alarm-list"] [data-alarm-id="${id}"]`).getByRole('button', { name: 'Shelve 1 h' }).click();
  await page.locator(`[data-testid="alarm-hidden"] [data-alarm-id="${id}"][data-shelved="true"]`).waitFor({ timeout: 5000 });
  await shot('alarms');
  await page.getByRole('tab', { name: /Journal/ }).click();
  await page.locator('[data-testid="journal"] tr[data-channel="alarms.ack"]').first().waitFor({ timeout: 10_000 });
  await page.locator('[data-testid="journal"] tr[data-channel="alarms.shelve"]').first().waitFor({ timeout: 10_000 });
  await shot('journal');
});

test('island and reconnect come back as data; the envelope plots the trajectory and playback recolours the map', async () => {
  // a disturbance the contract can script today: islanding MG1 and reconnecting it (frequency events in the island)
  await page.keyboard.press('Alt+5');
  const mg = page.locator('[data-microgrid="MG1"]').first();
  await mg.getByRole('button', { name: 'Island' }).click();
  await mg.getByTestId('mg-outcome').waitFor({ timeout: 15_000 });
  assert.match(await mg.getByTestId('mg-outcome').innerText(), /island: \w+/);
  await page.waitForTimeout(6000);
  await mg.getByRole('button', { name: 'Reconnect' }).click();
  await page.waitForTimeout(3000);
  await shot('microgrids');
  await page.keyboard.press('Alt+3');
  await page.getByRole('tab', { name: /^Events/ }).click();
  const closed = page.locator('[data-testid="event-list"] tr[data-phase="closed"]').first();
  await closed.waitFor({ timeout: 60_000 }); // the fault's event closes after the fault clears and the quiet period
  await closed.click();
  await page.locator('[data-testid="envelope-chart"]').first().waitFor({ timeout: 15_000 });
  const points = Number(await page.locator('[data-testid="envelope-chart"]').first().getAttribute('data-points'));
  assert.ok(points > 10, `trajectory plotted (${points} points)`);
  await shot('envelope');
  const slider = page.getByLabel('Playback time');
  const [min, max] = [Number(await slider.getAttribute('min')), Number(await slider.getAttribute('max'))];
  const classes: string[] = [];
  for (const at of [min, (min + max) / 2, min + 2500]) {
    await slider.fill(String(Math.round(at)));
    await page.keyboard.press('Alt+1');
    await page.getByTestId('playback-banner').waitFor();
    // the class of every bus named 1…450 (the IEEE 123 names): the map's colours as one signature
    classes.push(await page.evaluate(() => Array.from({ length: 450 }, (_, i) => (window as unknown as { __exergyMap: MapHook }).__exergyMap.busClass(String(i + 1)) ?? '-').join('')));
    await page.keyboard.press('Alt+3');
  }
  assert.ok(new Set(classes).size > 1, 'the map colours change over the event window');
  // the map follows the playback frame: leaving playback returns it to live
  await page.getByRole('button', { name: /Back to live/ }).click();
});

test('trends and microgrids panes render; axe finds no contrast violations on any pane', async () => {
  for (const [key, pane] of [['Alt+2', 'trends'], ['Alt+5', 'microgrids-live'], ['Alt+3', 'events-tab'], ['Alt+1', 'map-live']] as const) {
    await page.keyboard.press(key);
    await page.waitForTimeout(1500);
    await shot(pane);
    const r = await new AxeBuilder({ page }).withTags(['wcag2aa']).analyze();
    const bad = r.violations.filter((v) => v.id === 'color-contrast').flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`));
    assert.deepEqual(bad, [], `${pane}: contrast`);
  }
});

test('the Connections pane shows the historian recording and how many days its budget buys', async () => {
  await page.keyboard.press('Alt+7');
  const panel = page.getByTestId('storage-panel');
  await panel.getByText('recording').waitFor({ timeout: 30_000 });
  const text = await panel.innerText();
  assert.match(text, /Disk used \/ budget\s+[\d.]+ MiB of [\d.]+ MiB/);
  assert.match(text, /raw [\d.]+ days|raw no data yet/);
  await shot('connections');
  const r = await new AxeBuilder({ page }).withTags(['wcag2aa']).analyze();
  assert.deepEqual(r.violations.filter((v) => v.id === 'color-contrast').length, 0, 'connections: contrast');
});
