import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checks } from "../../shared/checks/catalog";
import { catalogMarkdown } from "../../shared/cli/catalog-view";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

/** The CLI as users run it, in a child process with no AWS settings at all. */
async function vigil(args: string[], dataDir: string) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    VIGIL_DATA_DIR: dataDir,
    POWERTOOLS_LOG_LEVEL: "SILENT",
  };
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "shared/cli/main.ts", ...args], {
      cwd: ROOT,
      env,
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: `${e.stdout}${e.stderr}` };
  }
}

describe("vigil CLI (local default: no AWS settings)", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "vigil-cli-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("replays events through the Lambda path into the embedded store, dry-run, alerts on the console", async () => {
    const { code, stdout } = await vigil(
      ["replay", "events/security-group/authorize-ssh-world-ipv4.json", "events/invalid"],
      dataDir,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/remediation dry-run \(no AWS settings: local only\)/);
    expect(stdout).toContain("EC2.19=OPEN* EC2.13=OPEN* EC2.53=OPEN* EC2.18=OPEN*");
    expect(stdout).toContain(
      "remediation planned: revoke from sg-07c1e5a9d3b2f4068: tcp 22 from 0.0.0.0/0 (sgr-0d27a9c4e81f35b60)",
    );
    expect(stdout).toContain("Principal: arn:aws:iam::111122223333:user/alice.ops");
    expect(stdout).toMatch(
      /unknown-event-type\.json: invalid \(unknown event type "Object Created" from aws\.s3\)/,
    );
    expect(stdout).toMatch(/truncated-json\.json: invalid/);
  });

  it("lists findings as JSON with the documented fields, filtered by status", async () => {
    const { code, stdout } = await vigil(["findings", "--json", "--status", "OPEN"], dataDir);
    expect(code).toBe(0);
    const findings = JSON.parse(stdout) as Record<string, unknown>[];
    expect(findings).toHaveLength(4);
    for (const f of findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining([
          "id",
          "checkId",
          "resourceId",
          "status",
          "severity",
          "actor",
          "eventIds",
          "remediation",
        ]),
      );
      expect(f.status).toBe("OPEN");
      expect(f.resourceId).toBe("sg-07c1e5a9d3b2f4068");
      expect(f.eventIds).toEqual(["9608b3ef-5e27-51f0-9c55-6789b3812b17"]);
    }
    expect((await vigil(["findings", "--json", "--status", "RESOLVED"], dataDir)).stdout.trim()).toBe("[]");
    expect((await vigil(["findings", "--status", "BOGUS"], dataDir)).code).toBe(1);
  });

  it("refuses undo without AWS access, naming what is missing", async () => {
    const { stdout: list } = await vigil(["findings", "--json"], dataDir);
    const [first] = JSON.parse(list) as { id: string }[];
    const { code, stdout } = await vigil(["undo", first?.id ?? ""], dataDir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/has no remediation to undo \(last result: planned\)/);
  });

  it("writes all of a long output to a pipe that is read slowly before exiting", async () => {
    // The catalog as JSON is over 64 KB, more than a pipe holds; the reader (as `| jq` would be)
    // starts only after a pause, so the CLI must wait for its output to drain before it exits.
    const cli = `"${process.execPath}" --import tsx shared/cli/main.ts checks --json`;
    const { stdout } = await run("sh", ["-c", `${cli} | (sleep 3; cat)`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, VIGIL_DATA_DIR: dataDir },
      maxBuffer: 10 * 1024 * 1024,
    });
    expect(stdout.length).toBeGreaterThan(65_536);
    expect((JSON.parse(stdout) as unknown[]).length).toBe(checks.length);
  }, 30_000);

  it("prints the catalog as JSON with ids, controls, triggers and remediation modes", async () => {
    const { stdout } = await vigil(["checks", "--json"], dataDir);
    const catalog = JSON.parse(stdout) as {
      id: string;
      controls: string[];
      remediation: { defaultMode: string } | null;
    }[];
    expect(catalog.map((c) => c.id)).toEqual(checks.map((c) => c.id));
    expect(catalog.slice(0, 6).map((c) => c.id)).toEqual([
      "EC2.19",
      "EC2.13",
      "EC2.14",
      "EC2.53",
      "EC2.54",
      "EC2.18",
    ]);
    expect(catalog.find((c) => c.id === "ECR.1")?.remediation?.defaultMode).toBe("auto");
    expect(catalog.find((c) => c.id === "ECS.5")?.remediation?.defaultMode).toBe("dry-run");
    expect(catalog.find((c) => c.id === "EC2.53")?.controls).toEqual(["SecurityHub EC2.53", "CIS 5.2"]);
    expect(catalog.find((c) => c.id === "EC2.18")?.remediation?.defaultMode).toBe("dry-run");
  });

  it("fails fast on invalid configuration with a readable message", async () => {
    const env = {
      VIGIL_CONFIG: JSON.stringify({ authorizedPorts: { tcp: ["http"] }, modes: { "EC2.19": "sometimes" } }),
    };
    const result = await run(process.execPath, ["--import", "tsx", "shared/cli/main.ts", "checks"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
    }).catch((e: { code: number; stderr: string }) => e);
    expect("code" in result && result.code).toBe(1);
    expect("stderr" in result && result.stderr).toMatch(/Invalid Vigil configuration \(VIGIL_CONFIG\)/);
    expect("stderr" in result && result.stderr).toMatch(/authorizedPorts\.tcp\[0\]/);
    expect("stderr" in result && result.stderr).toMatch(/modes\["EC2\.19"\]/);
  });
});

describe("README", () => {
  it("carries the catalog's current table of checks (regenerate with `npm run vigil -- checks`)", async () => {
    const readme = await readFile(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(catalogMarkdown(checks));
  });
});
