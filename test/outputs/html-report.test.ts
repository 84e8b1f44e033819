import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEVERITIES } from "../../shared/core/severity";
import { formatHtml } from "../../shared/outputs/html";
import { parseControl } from "../../shared/outputs/html/classify";
import type { ScanReport } from "../../shared/sweep/report";
import { XSS, fixtureReport } from "./html-fixture";

/**
 * The report in a real browser: what a security engineer opens. CI installs Debian's chromium
 * (.ci/run); without a binary the suite is skipped, and says so.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `html-report browser test SKIPPED: no chromium at ${CHROMIUM} (set CHROMIUM_PATH or install chromium)`,
  );
}

const SCREENSHOT = resolve("artifacts/html-report.png");

interface Loaded {
  page: Page;
  url: string;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  dialogs: string[];
}

async function load(browser: Browser, file: string, html: string): Promise<Loaded> {
  await writeFile(file, html, "utf8");
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const loaded: Loaded = {
    page,
    url: pathToFileURL(file).href,
    consoleErrors: [],
    pageErrors: [],
    requests: [],
    dialogs: [],
  };
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") loaded.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => loaded.pageErrors.push(error.message));
  page.on("request", (request) => loaded.requests.push(request.url()));
  page.on("dialog", (dialog) => {
    loaded.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(loaded.url, { waitUntil: "load" });
  return loaded;
}

async function attributes(
  page: Page,
  selector: string,
  names: readonly string[],
): Promise<Record<string, string>[]> {
  const rows = await page.locator(selector).all();
  return Promise.all(
    rows.map(async (row) => {
      const entries = await Promise.all(
        names.map(async (name) => [name, (await row.getAttribute(name)) ?? ""]),
      );
      return Object.fromEntries(entries) as Record<string, string>;
    }),
  );
}

/** Per-control sums computed here from the fixture's tallies, independently of the report's code. */
function expectedControls(
  report: ScanReport,
): Map<string, { evaluated: number; failed: number; suppressed: number }> {
  const out = new Map<string, { evaluated: number; failed: number; suppressed: number }>();
  for (const check of report.checks) {
    const refs =
      check.controls.length > 0
        ? check.controls.map(parseControl)
        : [{ framework: "Vigil", id: check.checkId }];
    for (const ref of refs) {
      const key = `${ref.framework}|${ref.id}`;
      const row = out.get(key) ?? { evaluated: 0, failed: 0, suppressed: 0 };
      row.evaluated += check.evaluated;
      row.failed += check.failed;
      row.suppressed += check.suppressed;
      out.set(key, row);
    }
  }
  return out;
}

describe.skipIf(!hasChromium)("HTML report in headless chromium", () => {
  const report = fixtureReport();
  let browser: Browser;
  let dir: string;
  let main: Loaded;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-html-"));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    main = await load(
      browser,
      join(dir, "report.html"),
      formatHtml(report, { generatedAt: "2026-11-27T02:03:13.000Z" }),
    );
    await mkdir("artifacts", { recursive: true });
    await main.page.screenshot({ path: SCREENSHOT, fullPage: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("loads with no console errors, no page errors, and no request but the file itself", () => {
    expect(main.consoleErrors).toEqual([]);
    expect(main.pageErrors).toEqual([]);
    expect(main.requests).toEqual([main.url]);
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it("shows the open findings by severity the fixture holds, as numbers in the chart", async () => {
    const expected = Object.fromEntries(
      SEVERITIES.map((s) => [
        s,
        report.findings.filter((f) => f.status === "OPEN" && f.severity === s).length,
      ]),
    );
    expect(expected).toEqual({ CRITICAL: 3, HIGH: 3, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0 });
    const bars = main.page.locator("#severity g.bar");
    expect(await bars.count()).toBe(SEVERITIES.length);
    for (const bar of await bars.all()) {
      const severity = (await bar.getAttribute("data-severity")) ?? "";
      // What a reader sees: the label and the number next to the bar.
      expect(await bar.locator(".bar-label").textContent()).toBe(severity);
      expect(Number(await bar.locator(".bar-value").textContent())).toBe(expected[severity]);
      expect(Number(await bar.getAttribute("data-count"))).toBe(expected[severity]);
    }
    expect(await main.page.locator('[data-total="open"] .n').textContent()).toBe("7");
  });

  it("shows pass / fail per control equal to the fixture's tallies, grouped by framework", async () => {
    const expected = expectedControls(report);
    const rows = await attributes(main.page, "tr[data-control]", [
      "data-framework",
      "data-control",
      "data-outcome",
      "data-evaluated",
      "data-passed",
      "data-failed",
      "data-suppressed",
    ]);
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const want = expected.get(`${row["data-framework"]}|${row["data-control"]}`);
      expect(want, `${row["data-framework"]} ${row["data-control"]}`).toBeDefined();
      if (!want) continue;
      expect(Number(row["data-evaluated"])).toBe(want.evaluated);
      expect(Number(row["data-failed"])).toBe(want.failed);
      expect(Number(row["data-suppressed"])).toBe(want.suppressed);
      expect(Number(row["data-passed"])).toBe(want.evaluated - want.failed - want.suppressed);
      expect(row["data-outcome"]).toBe(want.failed > 0 ? "FAIL" : want.evaluated > 0 ? "PASS" : "N/A");
    }
    // The visible cells say the same as the attributes: CIS 5.2 is EC2.53, 1 of 14 failing.
    const cis52 = main.page.locator('tr[data-framework="CIS v3.0.0"][data-control="5.2"]');
    expect(await cis52.locator("td.num").allTextContents()).toEqual(["14", "13", "1", "0"]);
    expect(await cis52.locator(".badge").textContent()).toBe("FAIL");
    const groups = await attributes(main.page, "[data-framework-group]", [
      "data-framework-group",
      "data-pass",
      "data-fail",
      "data-na",
    ]);
    expect(
      groups.map((g) => `${g["data-framework-group"]} ${g["data-pass"]}/${g["data-fail"]}/${g["data-na"]}`),
    ).toEqual([
      "AWS FSBP 4/4/1",
      "CIS v3.0.0 5/4/0",
      "Security Hub 2/1/0",
      "CIS v1.2.0 1/0/0",
      "Dockle 1/0/0",
      "Vigil 0/1/0",
    ]);
  });

  it("lists every failing resource under its check, and the resolved and suppressed ones", async () => {
    const open = report.findings.filter((f) => f.status === "OPEN");
    expect(await main.page.locator("#failing tr[data-finding]").count()).toBe(open.length);
    for (const finding of open) {
      const row = main.page.locator(
        `#check-${finding.checkId.replace(/\./g, "\\.")} tr[data-finding="${finding.id}"]`,
      );
      expect(await row.count(), finding.checkId).toBe(1);
    }
    expect(await main.page.locator('#resolved tr[data-status="RESOLVED"]').count()).toBe(2);
    expect(await main.page.locator('#resolved tr[data-status="REMEDIATED"]').count()).toBe(1);
    expect(await main.page.locator('#suppressed tr[data-status="SUPPRESSED"]').count()).toBe(2);
    const failedRemediation = main.page.locator('#check-EC2\\.53 [data-remediation-result="failed"]');
    expect(await failedRemediation.textContent()).toContain("UnauthorizedOperation");
  });

  it("renders a resource named <script>alert(1)</script> as inert text", async () => {
    expect(main.dialogs).toEqual([]);
    expect(await main.page.locator("script").count()).toBe(0);
    const names = await main.page.locator("#failing .resource-name").allTextContents();
    expect(names).toContain(XSS);
  });

  it("stays inert with the Content-Security-Policy taken out: the escaping alone holds", async () => {
    const html = formatHtml(report, { generatedAt: "2026-11-27T02:03:13.000Z" });
    const withoutCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
    expect(withoutCsp).not.toBe(html);
    const bare = await load(browser, join(dir, "no-csp.html"), withoutCsp);
    await bare.page.waitForTimeout(100);
    expect(bare.dialogs).toEqual([]);
    expect(bare.pageErrors).toEqual([]);
    expect(await bare.page.locator("script").count()).toBe(0);
    await bare.page.close();
  });
});
