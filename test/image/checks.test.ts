import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import healthcheck from "../../shared/checks/image/healthcheck";
import { imageChecks } from "../../shared/checks/image/index";
import latestTag from "../../shared/checks/image/latest-tag";
import minimalBase from "../../shared/checks/image/minimal-base";
import pipeToShell from "../../shared/checks/image/pipe-to-shell";
import remoteAdd from "../../shared/checks/image/remote-add";
import rootUser, { rootUserReason } from "../../shared/checks/image/root-user";
import secrets from "../../shared/checks/image/secrets";
import { context, config, helmChart, platform, state } from "./states";

const ctx = context();
const history = (...lines: string[]) => lines.map((createdBy) => ({ createdBy, emptyLayer: false }));

describe("image check catalog entries", () => {
  const expected = [
    ["VIGIL.IMAGE.SECRETS", "CRITICAL", ["Dockle CIS-DI-0010"]],
    ["VIGIL.IMAGE.ROOT_USER", "HIGH", ["Dockle CIS-DI-0001"]],
    ["VIGIL.IMAGE.MINIMAL_BASE", "MEDIUM", ["Dockle CIS-DI-0002"]],
    ["VIGIL.IMAGE.REMOTE_ADD", "MEDIUM", ["Dockle CIS-DI-0009"]],
    ["VIGIL.IMAGE.PIPE_TO_SHELL", "MEDIUM", []],
    ["VIGIL.IMAGE.LATEST_TAG", "LOW", ["Dockle DKL-DI-0006"]],
    ["VIGIL.IMAGE.HEALTHCHECK", "INFORMATIONAL", ["Dockle CIS-DI-0006"]],
  ] as const;

  it.each(expected)("%s: %s, %j, push triggers, registry reads, detect only", (id, severity, controls) => {
    const check = checkById(id);
    expect(check).toBeDefined();
    expect(imageChecks).toContain(check);
    expect(check).toMatchObject({ severity, controls, resourceType: "AWS::ECR::Image" });
    expect(check?.remediation).toBeUndefined();
    expect(check?.triggers).toEqual({
      cloudTrail: [{ eventSource: "ecr.amazonaws.com", eventNames: ["PutImage"] }],
      config: [],
      events: [
        {
          source: "aws.ecr",
          detailType: "ECR Image Action",
          detail: { "action-type": ["PUSH", "DELETE"], result: ["SUCCESS"] },
        },
      ],
    });
    expect(check?.iamActions).toEqual([
      "ecr:DescribeImages",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:ListTagsForResource",
    ]);
  });

  it("the seed's image with a HEALTHCHECK passes every check; a Helm chart is judged by none", () => {
    for (const check of imageChecks) {
      expect([check.id, check.evaluate(state(), ctx)]).toEqual([check.id, []]);
      expect([check.id, check.evaluate(helmChart(), ctx)]).toEqual([check.id, []]);
    }
  });

  it("an untagged platform manifest is judged by none (its index is)", () => {
    const untagged = state([platform({}, { user: "" })], {
      pushedTag: undefined,
      imageTags: [],
      notApplicable: "untagged platform manifest: evaluated through the index or tag that refers to it",
    });
    for (const check of imageChecks) expect(check.evaluate(untagged, ctx)).toEqual([]);
  });

  it("evaluate() leaves the state it reads unchanged", () => {
    const s = state([platform({}, { user: "", env: ["DB_PASSWORD=x1y2z3"] })]);
    const before = structuredClone(s);
    for (const check of imageChecks) check.evaluate(s, ctx);
    expect(s).toEqual(before);
  });
});

describe("VIGIL.IMAGE.ROOT_USER", () => {
  it.each([
    ["", "no USER is set, so it runs as root"],
    ["  ", "no USER is set, so it runs as root"],
    ["root", "USER root is root"],
    ["0", "USER 0 is root"],
    ["0:0", "USER 0:0 is root"],
    ["root:root", "USER root:root is root"],
    ["0:1000", "USER 0:1000 is root"],
    ["root:staff", "USER root:staff is root"],
    ["00", "USER 00 is root"],
  ])("USER %j is root (%s)", (user, reason) => {
    expect(rootUserReason(user)).toBe(reason);
  });

  it.each(["nodejs", "1001", "1001:1001", "1000:0", "app:root", "rooter", "10"])(
    "USER %j is not root",
    (user) => {
      expect(rootUserReason(user)).toBeUndefined();
    },
  );

  it("non-compliant: one violation with the user and platform", () => {
    expect(rootUser.evaluate(state([platform({}, { user: "0:0" })]), ctx)).toEqual([
      {
        summary: "USER 0:0 is root",
        evidence: { platform: "linux/amd64", manifestDigest: `sha256:${"a1".repeat(32)}`, user: "0:0" },
      },
    ]);
  });

  it("multi-platform: fails if any platform does, and says which", () => {
    const s = state([
      platform(),
      platform({ platform: "linux/arm64/v8", manifestDigest: `sha256:${"b2".repeat(32)}` }, { user: "" }),
    ]);
    expect(rootUser.evaluate(s, ctx)).toEqual([
      {
        summary: "linux/arm64/v8: no USER is set, so it runs as root",
        evidence: { platform: "linux/arm64/v8", manifestDigest: `sha256:${"b2".repeat(32)}`, user: "" },
      },
    ]);
  });

  it("not applicable: Windows images have no root user", () => {
    const windows = platform({ platform: "windows/amd64" }, { os: "windows", user: "" });
    expect(rootUser.evaluate(state([windows]), ctx)).toEqual([]);
  });
});

describe("VIGIL.IMAGE.SECRETS", () => {
  it("ENV with a secret-looking name and a value: name, location and length, never the value", () => {
    const value = "Tr0ub4dor&3-orders-prod";
    const s = state([
      platform({}, { env: ["DB_PASSWORD=" + value], history: history(`ENV DB_PASSWORD=${value}`) }),
    ]);
    const violations = secrets.evaluate(s, ctx);
    expect(violations).toEqual([
      {
        summary: "1 secret baked into the image: DB_PASSWORD (environment)",
        evidence: {
          platform: "linux/amd64",
          manifestDigest: `sha256:${"a1".repeat(32)}`,
          leaks: [
            {
              location: "environment",
              name: "DB_PASSWORD",
              reason: "secret-like name with a value",
              valueLength: 23,
            },
          ],
        },
      },
    ]);
    expect(JSON.stringify(violations)).not.toContain(value);
  });

  it("credential-shaped values in ENV, labels and history, whatever they are called", () => {
    const s = state([
      platform(
        {},
        {
          env: ["UPSTREAM=AKIAXMPLQ7RZ5BDF2GHJ"],
          labels: {
            "com.example.deploy-key":
              "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
            "org.opencontainers.image.revision": "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39",
          },
          history: history(
            "RUN |1 NPM_TOKEN=npm_Xk2Lq9Wv4Rt7Yp1Zm8Nc3Bd6 /bin/sh -c npm ci # buildkit",
            "RUN /bin/sh -c git clone https://ci-bot:glpat-x8Yq2Lm4Nv6Pk1Rz@gitlab.example.com/orders/lib.git # buildkit",
          ),
        },
      ),
    ]);
    const [violation] = secrets.evaluate(s, ctx);
    expect(violation?.evidence.leaks).toEqual([
      {
        location: "environment",
        name: "UPSTREAM",
        reason: "the value is an AWS access key id",
        valueLength: 20,
      },
      {
        location: "label",
        name: "com.example.deploy-key",
        reason: "the value is a private key",
        valueLength: 94,
      },
      {
        location: "history[0]",
        name: "NPM_TOKEN",
        reason: "secret-like name with a random-looking value",
        valueLength: 28,
      },
      { location: "history[1]", reason: "contains a password in URL", valueLength: expect.any(Number) },
    ]);
    const text = JSON.stringify(violation);
    for (const secret of [
      "AKIAXMPLQ7RZ5BDF2GHJ",
      "b3BlbnNzaC1rZXktdjEAAAAA",
      "npm_Xk2Lq9Wv4Rt7Yp1Zm8Nc3Bd6",
      "glpat-x8Yq2Lm4Nv6Pk1Rz",
    ])
      expect(text).not.toContain(secret);
  });

  it("a secret set by ENV then emptied still leaks through history", () => {
    const s = state([
      platform(
        {},
        { env: ["API_TOKEN="], history: history("ENV API_TOKEN=tok_7Hq2Wm9Xc4Vb1Nz8", "ENV API_TOKEN=") },
      ),
    ]);
    expect(secrets.evaluate(s, ctx)[0]?.evidence.leaks).toEqual([
      {
        location: "history[0]",
        name: "API_TOKEN",
        reason: "secret-like name with a random-looking value",
        valueLength: 20,
      },
    ]);
  });

  it("compliant: checksums, GPG keys, references and the seed's history are not secrets", () => {
    const s = state([
      platform(
        {},
        {
          env: [
            "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D",
            `PYTHON_SHA256=${"0f".repeat(32)}`,
            "DB_PASSWORD_FILE=/run/secrets/db",
            "API_KEY=",
            "SECRET_ARN=arn:aws:secretsmanager:us-east-1:111122223333:secret:orders-db-AbCdEf",
          ],
          labels: {
            "org.opencontainers.image.base.digest": `sha256:${"3c".repeat(32)}`,
            "com.example.access": "public",
          },
          history: history(
            `RUN /bin/sh -c set -x && KEY_SHA512="${"e0".repeat(64)}" && wget -O /tmp/nginx_signing.rsa.pub https://nginx.org/keys/nginx_signing.rsa.pub # buildkit`,
          ),
        },
      ),
    ]);
    expect(secrets.evaluate(s, ctx)).toEqual([]);
  });

  it("config.containers.images.acceptedEnvNames accepts a name", () => {
    const s = state([platform({}, { env: ["LICENSE_KEY=community-edition"] })]);
    expect(secrets.evaluate(s, ctx)).toHaveLength(1);
    expect(
      secrets.evaluate(s, context({ containers: { images: { acceptedEnvNames: ["LICENSE_KEY"] } } })),
    ).toEqual([]);
  });

  it("not applicable: an artifact has no configuration to leak from", () => {
    expect(secrets.evaluate(helmChart(), ctx)).toEqual([]);
  });
});

describe("VIGIL.IMAGE.MINIMAL_BASE", () => {
  it("compliant: approved base (docker.io/library/node:18-alpine) under the size limit", () => {
    expect(minimalBase.evaluate(state(), ctx)).toEqual([]);
  });

  it("an unapproved base fails, with what was found (base, source, size)", () => {
    const s = state([platform({ baseImage: { name: "node:18", source: "config label" } })]);
    expect(minimalBase.evaluate(s, ctx)).toEqual([
      {
        summary: "base docker.io/library/node:18 is not an approved base image",
        evidence: {
          platform: "linux/amd64",
          manifestDigest: `sha256:${"a1".repeat(32)}`,
          baseImage: "docker.io/library/node:18",
          baseImageSource: "config label",
          baseApproved: false,
          compressedSizeMiB: 43.5,
          maxCompressedSizeMiB: 250,
          layerCount: 7,
        },
      },
    ]);
  });

  it("an image over the size limit fails even with an approved base", () => {
    const s = state([platform({ compressedSizeBytes: 300 * 1024 * 1024 })]);
    expect(minimalBase.evaluate(s, ctx)).toEqual([
      expect.objectContaining({
        summary: "compressed size 300.0 MiB is over the 250 MiB limit",
        evidence: expect.objectContaining({
          baseImage: "docker.io/library/node:18-alpine",
          baseApproved: true,
        }),
      }),
    ]);
    expect(
      minimalBase.evaluate(s, context({ containers: { images: { maxCompressedSizeMiB: 400 } } })),
    ).toEqual([]);
  });

  it("an unknown base is no violation by itself, but is said so when the size fails", () => {
    const unknown = platform({ baseImage: undefined });
    expect(minimalBase.evaluate(state([unknown]), ctx)).toEqual([]);
    const big = platform({ baseImage: undefined, compressedSizeBytes: 600 * 1024 * 1024 });
    expect(minimalBase.evaluate(state([big]), ctx)[0]?.evidence).toMatchObject({
      baseImage: null,
      baseApproved: "unknown",
      baseNote: "the image declares no base (org.opencontainers.image.base.name): base not judged",
      compressedSizeMiB: 600,
    });
    // A declared base that is not a valid reference is unknown too, never echoed.
    const garbage = platform({ baseImage: { name: "https://user:pw@evil/x y", source: "config label" } });
    expect(minimalBase.evaluate(state([garbage]), ctx)).toEqual([]);
  });

  it("approved patterns come from config (`*` = any run of characters)", () => {
    const s = state([
      platform({
        baseImage: {
          name: "111122223333.dkr.ecr.us-east-1.amazonaws.com/base/node:18-hardened",
          source: "manifest annotation",
        },
      }),
    ]);
    expect(minimalBase.evaluate(s, ctx)).toHaveLength(1);
    const approved = context({
      containers: { images: { approvedBaseImages: ["111122223333.dkr.ecr.*.amazonaws.com/base/*"] } },
    });
    expect(minimalBase.evaluate(s, approved)).toEqual([]);
  });

  it("multi-platform: each failing platform is named", () => {
    const s = state([
      platform(),
      platform({ platform: "linux/arm64", compressedSizeBytes: 260 * 1024 * 1024 }),
    ]);
    expect(minimalBase.evaluate(s, ctx).map((v) => v.summary)).toEqual([
      "linux/arm64: compressed size 260.0 MiB is over the 250 MiB limit",
    ]);
  });

  it("not applicable: artifacts", () => {
    expect(minimalBase.evaluate(helmChart(), ctx)).toEqual([]);
  });
});

describe("VIGIL.IMAGE.LATEST_TAG", () => {
  it("non-compliant when the image carries `latest` now", () => {
    const s = state(undefined, { pushedTag: "v1", imageTags: ["latest", "v1"] });
    expect(latestTag.evaluate(s, ctx)).toEqual([
      {
        summary: `orders/api@sha256:${"d4".repeat(32)} is tagged latest`,
        evidence: {
          repositoryName: "orders/api",
          imageDigest: `sha256:${"d4".repeat(32)}`,
          tags: ["latest", "v1"],
        },
      },
    ]);
  });

  it("the current tags win over the push's (the tag moved since)", () => {
    expect(latestTag.evaluate(state(undefined, { pushedTag: "latest", imageTags: ["v2"] }), ctx)).toEqual([]);
    expect(
      latestTag.evaluate(state(undefined, { pushedTag: "latest", imageTags: undefined }), ctx),
    ).toHaveLength(1);
  });

  it("compliant: versioned tags only; `latest-dev` is not `latest`", () => {
    expect(latestTag.evaluate(state(undefined, { imageTags: ["latest-dev", "2025.03.18-1"] }), ctx)).toEqual(
      [],
    );
  });

  it("not applicable: a Helm chart tagged latest", () => {
    expect(latestTag.evaluate({ ...helmChart(), imageTags: ["latest"] }, ctx)).toEqual([]);
  });
});

describe("VIGIL.IMAGE.REMOTE_ADD", () => {
  it("non-compliant: ADD of a URL (BuildKit history), with host only", () => {
    const s = state([
      platform(
        {},
        {
          history: history(
            "ADD https://downloads.example.com/agent.tar.gz?token=s3cr3t /opt/agent/ # buildkit",
          ),
        },
      ),
    ]);
    const violations = remoteAdd.evaluate(s, ctx);
    expect(violations).toEqual([
      {
        summary: "history[0] ADDs a remote source from downloads.example.com without a checksum",
        evidence: {
          platform: "linux/amd64",
          manifestDigest: `sha256:${"a1".repeat(32)}`,
          historyIndex: 0,
          instruction: "ADD",
          host: "downloads.example.com",
        },
      },
    ]);
    expect(JSON.stringify(violations)).not.toContain("s3cr3t");
  });

  it.each([
    'ADD ["https://example.com/a.tar.gz", "/opt/"] # buildkit',
    "ADD --chown=app:app https://example.com/a.tar.gz /opt/ # buildkit",
    "ADD git@github.com:example/private.git /src # buildkit",
    "ADD https://github.com/example/repo.git#v1.2.3 /src # buildkit",
  ])("non-compliant: %s", (line) => {
    expect(remoteAdd.evaluate(state([platform({}, { history: history(line) })]), ctx)).toHaveLength(1);
  });

  it.each([
    "/bin/sh -c #(nop) ADD file:5758b97d8301c84a204a6e516241275d785a7fb2ee1a5d2e2fd7d8fd1e9d3b19 in / ",
    "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.tar.gz /opt/ # buildkit",
    "ADD app.tar.gz /opt/ # buildkit",
    "COPY https-proxy.conf /etc/ # buildkit",
    "RUN /bin/sh -c echo ADD https://example.com/x /y # buildkit",
  ])("compliant: %s", (line) => {
    expect(remoteAdd.evaluate(state([platform({}, { history: history(line) })]), ctx)).toEqual([]);
  });

  it("not applicable: artifacts", () => {
    expect(remoteAdd.evaluate(helmChart(), ctx)).toEqual([]);
  });
});

describe("VIGIL.IMAGE.PIPE_TO_SHELL", () => {
  it.each([
    [
      "RUN /bin/sh -c curl -fsSL https://get.example.com/install.sh | sh # buildkit",
      "curl",
      "get.example.com",
    ],
    ["/bin/sh -c wget -qO- https://deb.nodesource.com/setup_18.x | bash -", "wget", "deb.nodesource.com"],
    [
      "RUN /bin/sh -c curl -sSL https://sdk.example.org | sudo -E bash -s -- --yes # buildkit",
      "curl",
      "sdk.example.org",
    ],
    ["RUN /bin/sh -c curl -fsSL https://x.example.net/i.sh|/bin/sh # buildkit", "curl", "x.example.net"],
    [
      'RUN /bin/sh -c sh -c "$(curl -fsSL https://raw.example.com/install.sh)" # buildkit',
      "curl",
      "raw.example.com",
    ],
    [
      "RUN /bin/bash -c bash <(curl -s https://codecov.example.io/bash) # buildkit",
      "curl",
      "codecov.example.io",
    ],
    ["RUN /bin/sh -c curl -s https://x.example.com/a | tee /tmp/a | sh # buildkit", "curl", "x.example.com"],
  ])("non-compliant: %s", (line, downloader, host) => {
    expect(pipeToShell.evaluate(state([platform({}, { history: history(line) })]), ctx)).toEqual([
      {
        summary: `history[0] pipes a ${downloader} download from ${host} into a shell`,
        evidence: {
          platform: "linux/amd64",
          manifestDigest: `sha256:${"a1".repeat(32)}`,
          historyIndex: 0,
          downloader,
          host,
        },
      },
    ]);
  });

  it.each([
    'RUN /bin/sh -c curl -fsSLO https://example.com/a.tar.xz; echo "$CHECKSUM  a.tar.xz" | sha256sum -c - # buildkit',
    "RUN /bin/sh -c curl -fsSL https://example.com/a.tgz | tar -xz -C /opt # buildkit",
    "RUN /bin/sh -c curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg # buildkit",
    "RUN /bin/sh -c curl -fsSL https://example.com/up || sh /opt/fallback.sh # buildkit",
    "RUN /bin/sh -c curl -o /tmp/i.sh https://example.com/i.sh && sha256sum -c i.sum && sh /tmp/i.sh # buildkit",
    "RUN /bin/sh -c cat install.sh | sh # buildkit",
    "ENV CURL_OPTS=-fsSL",
  ])("compliant: %s", (line) => {
    expect(pipeToShell.evaluate(state([platform({}, { history: history(line) })]), ctx)).toEqual([]);
  });

  it("the seed's node:18-alpine history is compliant", () => {
    expect(pipeToShell.evaluate(state(), ctx)).toEqual([]);
  });

  it("not applicable: artifacts", () => {
    expect(pipeToShell.evaluate(helmChart(), ctx)).toEqual([]);
  });
});

describe("VIGIL.IMAGE.HEALTHCHECK", () => {
  it("non-compliant: none declared, or HEALTHCHECK NONE", () => {
    expect(healthcheck.evaluate(state([platform({}, { healthcheck: undefined })]), ctx)).toEqual([
      {
        summary: "no HEALTHCHECK",
        evidence: {
          platform: "linux/amd64",
          manifestDigest: `sha256:${"a1".repeat(32)}`,
          healthcheck: "none",
        },
      },
    ]);
    expect(
      healthcheck.evaluate(state([platform({}, { healthcheck: ["NONE"] })]), ctx)[0]?.evidence,
    ).toMatchObject({
      healthcheck: "disabled",
    });
  });

  it("compliant: CMD or CMD-SHELL health check (declared or inherited)", () => {
    expect(
      healthcheck.evaluate(state([platform({}, { healthcheck: ["CMD", "/healthcheck"] })]), ctx),
    ).toEqual([]);
  });

  it("not applicable: artifacts", () => {
    expect(healthcheck.evaluate(helmChart(), ctx)).toEqual([]);
  });
});

describe("state helper sanity", () => {
  it("the default config fixture has a HEALTHCHECK and a non-root user", () => {
    expect(config().healthcheck).toBeDefined();
    expect(config().user).toBe("nodejs");
  });
});
