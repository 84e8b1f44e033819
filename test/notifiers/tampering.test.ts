import { describe, expect, it } from "vitest";
import { alertText, TAMPERING_HEADLINE } from "../../shared/notifiers/format";
import { slackPayload } from "../../shared/notifiers/slack";
import { alice, sgAlert } from "./fixtures";

/** Tampering alerts (logging or detection turned off) lead with who did it, from where, with what. */
describe("tampering alerts", () => {
  it("text: the actor's principal, source IP and user agent come right after the headline, before the findings", () => {
    const text = alertText(sgAlert({ tampering: true }));
    const lines = text.split("\n");
    const headline = lines.indexOf(TAMPERING_HEADLINE);
    expect(headline).toBe(2);
    expect(lines.slice(headline + 1, headline + 4)).toEqual([
      "    By: arn:aws:iam::111122223333:user/alice.ops (IAMUser)",
      `    From IP: ${alice.sourceIp}`,
      `    With: ${alice.userAgent}`,
    ]);
    expect(lines.indexOf("Findings")).toBeGreaterThan(headline + 3);
  });

  it("text: an ordinary alert has no tampering block", () => {
    expect(alertText(sgAlert())).not.toContain(TAMPERING_HEADLINE);
  });

  it("text: an unknown actor is said to be unknown, not left out", () => {
    const text = alertText(sgAlert({ tampering: true, actor: undefined }));
    expect(text).toContain("    From IP: unknown\n    With: unknown user agent");
  });

  it("Slack: the block right under the header names the principal, IP and user agent", () => {
    const { blocks } = slackPayload(sgAlert({ tampering: true }));
    expect(blocks[0]?.type).toBe("header");
    const lead = JSON.stringify(blocks[1]);
    expect(lead).toContain(TAMPERING_HEADLINE);
    expect(lead).toContain(alice.arn ?? "?");
    expect(lead).toContain(alice.sourceIp ?? "?");
    expect(lead).toContain("aws-cli/2.22.35");
  });

  it("Slack: an ordinary alert keeps the summary fields right under the header", () => {
    const { blocks } = slackPayload(sgAlert());
    expect(JSON.stringify(blocks)).not.toContain(TAMPERING_HEADLINE);
    expect(JSON.stringify(blocks[1])).toContain("*Severity*");
  });
});
