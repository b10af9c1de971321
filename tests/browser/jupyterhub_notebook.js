#!/usr/bin/env node
// One JupyterHub user's session in headless Debian chromium, as tests/integration/test_jupyterhub.py needs it:
// log in, create a notebook with the kernel chosen by its display name in the "New" menu, run the given cells
// (typed into the cell editor, run with Shift+Enter), read the rendered outputs, save a screenshot, then leave
// the notebook and wait until the user's server has no kernel left. leave: "close-and-halt" (File > Close and
// Halt) or "walk-away" (close the tab and leave the idle kernel to the server's culler).
//
// usage: node jupyterhub_notebook.js JOB.json   where JOB is
//   {hubUrl, user, password, kernelDisplayName, cells: [source, ...], screenshot, leave, timeoutMs}
// prints one JSON line: {user, notebookUrl, outputs: [[text of each output of cell i], ...], errors: [...]}
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function logIn(page, job) {
  await page.goto(`${job.hubUrl}/hub/login`);
  await page.fill('#username_input', job.user);
  await page.fill('#password_input', job.password);
  await Promise.all([page.waitForURL(`**/user/${job.user}/tree**`, { timeout: job.timeoutMs }),
    page.click('#login_submit')]);
}

async function newNotebook(context, page, job) {
  await page.click('#new-dropdown-button');
  const item = page.locator('#new-menu a', { hasText: job.kernelDisplayName });
  const [notebook] = await Promise.all([context.waitForEvent('page'), item.click()]);
  await notebook.waitForLoadState();
  await notebook.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: job.timeoutMs });
  return notebook;
}

// Types a cell's source into the selected cell's editor and runs it with Shift+Enter. insertText puts the text
// in as typed characters without CodeMirror's auto-indent and bracket closing, which would change the code.
async function runCell(notebook, index, source, job) {
  const cell = notebook.locator('#notebook-container .cell').nth(index);
  await cell.locator('.CodeMirror').click();
  await notebook.keyboard.insertText(source);
  await notebook.keyboard.press('Shift+Enter');
  // The prompt reads "In [*]" while the kernel runs the cell and "In [N]" once its reply came (on the shell
  // channel); the last outputs (on iopub) are in when the kernel is shown idle again, which iopub says last.
  await cell.locator('.input_prompt').filter({ hasText: /In\s*\[\d+\]/ }).waitFor({ timeout: job.timeoutMs });
  await notebook.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: job.timeoutMs });
  return cell.locator('.output_area .output_subarea').allInnerTexts();
}

async function leave(notebook, page, job) {
  if (job.leave === 'walk-away') {
    await notebook.close();
  } else {
    await notebook.click('#filelink');
    await notebook.click('#close_and_halt');
  }
  const api = `${job.hubUrl}/user/${job.user}/api/kernels`;
  const deadline = Date.now() + job.timeoutMs;
  for (;;) {
    const kernels = await (await page.request.get(api)).json();
    if (kernels.length === 0) return;
    if (Date.now() > deadline) throw new Error(`kernels still running after ${job.leave}: ${JSON.stringify(kernels)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `chromium-${job.user}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 1250 },
  });
  const result = { user: job.user, outputs: [], errors: [] };
  context.on('weberror', (error) => result.errors.push(String(error.error())));
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(job.timeoutMs);
    await logIn(page, job);
    const notebook = await newNotebook(context, page, job);
    notebook.setDefaultTimeout(job.timeoutMs);
    result.notebookUrl = notebook.url();
    for (const [index, source] of job.cells.entries()) {
      result.outputs.push(await runCell(notebook, index, source, job));
    }
    // The classic notebook scrolls inside #site, so the page is shown from the top of the notebook.
    await notebook.evaluate(() => document.querySelector('#site').scrollTo(0, 0));
    await notebook.screenshot({ path: job.screenshot });
    await leave(notebook, page, job);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
