/**
 * Credential-shaped sample values, assembled from parts so the repository holds no literal that a
 * secret scanner would (rightly) stop. None of them is a real credential.
 */
const base32 = (n: number) => "XMPLQ7RZ5BDF2GHJK3M4N6P8".repeat(4).slice(0, n);
const alnum = (n: number) => "aB3dE5fG7hJ9kL2mN4pQ6rS8tU1vW0xYz".repeat(8).slice(0, n);

export const CREDENTIALS: { kind: string; value: string }[] = [
  { kind: "AWS access key id", value: "AKIA" + base32(16) },
  { kind: "AWS access key id", value: "ASIA" + base32(16) },
  {
    kind: "private key",
    value: "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\n-----END RSA PRIVATE KEY-----",
  },
  {
    kind: "private key",
    value: "-----BEGIN OPENSSH " + "PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n-----END",
  },
  { kind: "private key", value: "-----BEGIN " + "PRIVATE KEY-----" },
  { kind: "private key", value: "-----BEGIN PGP " + "PRIVATE KEY BLOCK-----" },
  { kind: "GitHub token", value: "ghp_" + alnum(36) },
  { kind: "GitHub token", value: "github_pat_" + alnum(22) + "_" + alnum(59) },
  { kind: "GitLab token", value: "glpat-" + alnum(20) },
  { kind: "npm token", value: "npm_" + alnum(36) },
  { kind: "Slack token", value: "xoxb-" + "2718281828-" + alnum(24) },
  { kind: "Slack webhook", value: "https://hooks.slack.com/services/T0XMPL12/B0XMPL34/" + alnum(24) },
  { kind: "Stripe secret key", value: "sk_" + "live_" + alnum(24) },
  { kind: "SendGrid API key", value: "SG." + alnum(22) + "." + alnum(43) },
  { kind: "OpenAI or Anthropic API key", value: "sk-" + "proj-" + alnum(40) },
  { kind: "Google API key", value: "AIza" + alnum(35) },
  {
    kind: "Azure storage account key",
    value:
      "DefaultEndpointsProtocol=https;AccountName=orders;AccountKey=" +
      alnum(86) +
      "==;EndpointSuffix=core.windows.net",
  },
  {
    kind: "JSON web token",
    value:
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" +
      ".eyJzdWIiOiJvcmRlcnMtYXBpIiwicm9sZSI6InNlcnZpY2UifQ" +
      "." +
      alnum(43),
  },
  { kind: "password in URL", value: "postgres://orders:" + "Tr0ub4dor-3@db.internal:5432/orders" },
  { kind: "password in URL", value: "redis://:" + "s3cr3tPassw0rd@cache.internal:6379/0" },
  { kind: "password in URL", value: "amqps://svc:" + "hunter2@mq.example.com/vhost" },
];
