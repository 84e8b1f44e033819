import { describe, expect, it } from "vitest";
import {
  CredentialReportError,
  instantOf,
  parseCredentialReport,
  ROOT_ROW_USER,
} from "../../shared/iam-credentials/report";
import { base64, csv, HEADER, row, ROOT_ROW } from "./support";

const GENERATED = "2025-06-01T12:00:00Z";

describe("credential report parser", () => {
  it("reads GetCredentialReport's base64 content (API/CLI form) and the SDK's bytes alike", () => {
    const text = csv(
      row({ user: "alice", key1: ["true", "2025-01-05T10:00:00+00:00", "2025-05-30T08:00:00+00:00"] }),
    );
    const fromBase64 = parseCredentialReport(base64(text), GENERATED);
    const fromBytes = parseCredentialReport(new TextEncoder().encode(text), new Date(GENERATED));
    expect(fromBytes).toEqual(fromBase64);
    expect(fromBase64.generatedTime).toBe("2025-06-01T12:00:00.000Z");
    expect(fromBase64.users.map((u) => u.user)).toEqual([ROOT_ROW_USER, "alice"]);
    expect(fromBase64.users[1]).toEqual({
      user: "alice",
      arn: "arn:aws:iam::111122223333:user/alice",
      userCreationTime: "2023-01-10T12:00:00.000Z",
      passwordEnabled: false,
      passwordLastUsed: "N/A",
      passwordLastChanged: "N/A",
      mfaActive: false,
      accessKeys: [
        {
          slot: 1,
          active: true,
          lastRotated: "2025-01-05T10:00:00.000Z",
          lastUsedDate: "2025-05-30T08:00:00.000Z",
        },
        { slot: 2, active: false, lastRotated: "N/A", lastUsedDate: "N/A" },
      ],
    });
  });

  it("keeps each marker as the report wrote it: no_information, N/A and the root row's not_supported", () => {
    const report = parseCredentialReport(
      base64(
        csv(
          row({
            user: "carol",
            password: { enabled: "true", lastUsed: "no_information", changed: "2025-02-01T00:00:00+00:00" },
          }),
        ),
      ),
      GENERATED,
    );
    const [root, carol] = report.users;
    expect(root).toMatchObject({ passwordEnabled: "not_supported", passwordLastChanged: "not_supported" });
    expect(root?.passwordLastUsed).toBe("2025-02-01T10:00:00.000Z");
    expect(carol).toMatchObject({
      passwordEnabled: true,
      passwordLastUsed: "no_information",
      passwordLastChanged: "2025-02-01T00:00:00.000Z",
    });
    expect(instantOf("no_information")).toBeUndefined();
    expect(instantOf("N/A")).toBeUndefined();
    expect(instantOf("not_supported")).toBeUndefined();
    expect(instantOf("2025-02-01T00:00:00.000Z")).toBe(Date.parse("2025-02-01T00:00:00Z"));
  });

  it("handles quoted names with commas and quotes, CRLF line ends, a BOM and upper-case TRUE/FALSE", () => {
    const text = csv(
      row({
        user: 'ops,"night"',
        mfa: "TRUE",
        password: { enabled: "TRUE", lastUsed: "N/A", changed: "N/A" },
      }),
    );
    const report = parseCredentialReport(base64(`\uFEFF${text.replace(/\n/g, "\r\n")}`), GENERATED);
    expect(report.users[1]).toMatchObject({ user: 'ops,"night"', mfaActive: true, passwordEnabled: true });
  });

  it("finds columns by name, whatever their order and whatever columns IAM adds", () => {
    const header = HEADER.split(",");
    const reorder = (line: string) => {
      const cells = line.split(",");
      return [...cells.slice(1), cells[0], "extra"].join(",");
    };
    const text = [
      reorder(header.join(",")).replace(/extra$/, "new_column"),
      reorder(ROOT_ROW),
      reorder(row({ user: "dave" })),
    ].join("\n");
    expect(parseCredentialReport(base64(text), GENERATED).users.map((u) => u.user)).toEqual([
      ROOT_ROW_USER,
      "dave",
    ]);
  });

  it.each([
    [
      "a time that is no time",
      csv(row({ user: "x", key1: ["true", "yesterday", "N/A"] })),
      /line 3, access_key_1_last_rotated/,
    ],
    [
      "a flag that is no flag",
      csv(row({ user: "x", mfa: "maybe" })),
      /line 3, mfa_active: expected true or false/,
    ],
    [
      "a missing column",
      csv(row({ user: "x" })).replace("mfa_active,", "mfa,"),
      /missing columns mfa_active/,
    ],
    [
      "a short row",
      csv(row({ user: "x" })).replace(/,N\/A\n$/, "\n"),
      /line 3: 21 fields, the header has 22/,
    ],
    ["an empty user", csv(row({ user: "" })), /line 3, user: empty/],
    ["an unterminated quote", `${HEADER}\n"broken`, /unterminated/],
  ])("rejects the whole report on %s", (_what, text, message) => {
    expect(() => parseCredentialReport(base64(text), GENERATED)).toThrow(message);
    expect(() => parseCredentialReport(base64(text), GENERATED)).toThrow(CredentialReportError);
  });

  it("rejects content that is not base64, an empty report and a bad generation time", () => {
    expect(() => parseCredentialReport("not base64!", GENERATED)).toThrow(/not base64/);
    expect(() => parseCredentialReport("", GENERATED)).toThrow(/empty/);
    expect(() => parseCredentialReport(base64(csv()), "soon")).toThrow(/GeneratedTime/);
  });
});
