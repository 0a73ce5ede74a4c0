// Debian's chromium package; CI installs it. Playwright's own browser builds cannot be
// downloaded on these machines.
export const chromiumPath = '/usr/bin/chromium';

// Headless, and quiet on a machine with no network: without the background-networking
// flags Chromium keeps trying to reach its update and sync services.
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
