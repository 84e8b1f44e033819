import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluatePodSecurity, PSS_CONTROLS as C, type PssViolation } from "../../shared/k8s";

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const capName = fc.constantFrom("ALL", "all", "NET_RAW", "CHOWN", "SYS_ADMIN", "NET_BIND_SERVICE", "KILL");
const profileType = fc.constantFrom("RuntimeDefault", "Localhost", "Unconfined");

const securityContext = fc.record(
  {
    runAsNonRoot: fc.boolean(),
    runAsUser: fc.constantFrom(0, 1000),
    seccompProfile: fc.record({ type: profileType }),
    appArmorProfile: fc.record({ type: profileType }),
    seLinuxOptions: fc.record(
      { type: fc.constantFrom("", "container_t", "spc_t"), user: fc.constantFrom("", "system_u") },
      { requiredKeys: [] },
    ),
    windowsOptions: fc.record({ hostProcess: fc.boolean() }),
    privileged: fc.boolean(),
    allowPrivilegeEscalation: fc.boolean(),
    procMount: fc.constantFrom("Default", "Unmasked"),
    capabilities: fc.record({ add: fc.array(capName), drop: fc.array(capName) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const SECRET = "ENV-SECRET-VALUE";
const container = (name: fc.Arbitrary<string>) =>
  fc.record(
    {
      name,
      image: fc.constant("app:1"),
      securityContext,
      ports: fc.array(fc.record({ containerPort: fc.constant(80), hostPort: fc.constantFrom(0, 8080) }), {
        maxLength: 2,
      }),
      livenessProbe: fc.record({
        httpGet: fc.record({ port: fc.constant(80), host: fc.constantFrom("", "10.0.0.1") }),
      }),
      env: fc.array(
        fc.record({ name: fc.constant("TOKEN"), value: fc.string().map((s) => `${SECRET}${s}`) }),
        {
          maxLength: 2,
        },
      ),
    },
    { requiredKeys: ["name"] },
  );

const volume = fc.oneof(
  fc.constant({ name: "c", configMap: { name: "c" } }),
  fc.constant({ name: "h", hostPath: { path: "/etc" } }),
  fc.constant({ name: "n", nfs: { server: "s", path: "/" } }),
  fc.constant({ name: "e" }),
);

const podSpec = fc.record(
  {
    hostNetwork: fc.boolean(),
    hostPID: fc.boolean(),
    hostUsers: fc.boolean(),
    os: fc.constantFrom({ name: "linux" }, { name: "windows" }),
    securityContext: fc
      .tuple(securityContext, maybe(fc.constantFrom("kernel.msgmax", "net.ipv4.tcp_syncookies")))
      .map(([context, sysctl]) => ({
        ...context,
        ...(sysctl ? { sysctls: [{ name: sysctl, value: "1" }] } : {}),
      })),
    containers: fc.array(container(fc.constantFrom("a", "b")), { minLength: 1, maxLength: 2 }),
    initContainers: fc.array(container(fc.constant("i")), { maxLength: 1 }),
    ephemeralContainers: fc.array(container(fc.constant("d")), { maxLength: 1 }),
    volumes: fc.array(volume, { maxLength: 3 }),
  },
  { requiredKeys: ["containers"] },
);

const key = (x: PssViolation) => `${x.control} | ${x.profile} | ${x.path} | ${JSON.stringify(x.found)}`;
const keys = (list: PssViolation[]) => list.map(key);

describe("properties", () => {
  it("never throws on any input, and every violation is JSON-safe and well-formed", () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.anything(),
        fc.constantFrom("baseline", "restricted"),
        (spec, metadata, profile) => {
          const result = evaluatePodSecurity(
            spec,
            profile as "baseline",
            metadata as { annotations?: Record<string, string> },
          );
          expect(JSON.parse(JSON.stringify(result))).toEqual(result);
        },
      ),
    );
  });

  it("never throws when any field of a realistic pod is replaced by anything", () => {
    const fields = [
      "securityContext",
      "containers",
      "volumes",
      "os",
      "hostNetwork",
      "initContainers",
    ] as const;
    fc.assert(
      fc.property(podSpec, fc.constantFrom(...fields), fc.anything(), (spec, field, value) => {
        expect(() => evaluatePodSecurity({ ...spec, [field]: value }, "restricted")).not.toThrow();
      }),
    );
  });

  it("restricted reports every baseline violation, and baseline reports only baseline ones", () => {
    fc.assert(
      fc.property(podSpec, (spec) => {
        const baseline = evaluatePodSecurity(spec, "baseline");
        const restricted = evaluatePodSecurity(spec, "restricted");
        expect(baseline.every((b) => b.profile === "baseline")).toBe(true);
        expect(keys(restricted.filter((r) => r.profile === "baseline"))).toEqual(keys(baseline));
      }),
    );
  });

  it("never puts an env value in a violation", () => {
    fc.assert(
      fc.property(podSpec, (spec) => {
        expect(JSON.stringify(evaluatePodSecurity(spec, "restricted"))).not.toContain(SECRET);
      }),
    );
  });

  it("a container's own good value always wins over the pod's, whatever the pod sets", () => {
    const good = {
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: "RuntimeDefault" },
      appArmorProfile: { type: "RuntimeDefault" },
      seLinuxOptions: { type: "container_t" },
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    };
    const overridable: string[] = [C.runAsNonRoot, C.runAsUser, C.seccomp, C.appArmor, C.seLinux];
    fc.assert(
      fc.property(podSpec, (spec) => {
        const withGood = {
          ...spec,
          containers: [...spec.containers, { name: "app", image: "a:1", securityContext: good }],
        };
        const mine = evaluatePodSecurity(withGood, "restricted").filter(
          (x) => x.path.startsWith("spec.containers[app].") && overridable.includes(x.control),
        );
        expect(mine).toEqual([]);
      }),
    );
  });

  it("adding ALL to a container's drop never adds a violation, and leaves no drop violation", () => {
    fc.assert(
      fc.property(podSpec, fc.nat(), (spec, pick) => {
        const index = pick % spec.containers.length;
        const before = evaluatePodSecurity(spec, "restricted");
        const target = spec.containers[index]!;
        const context = target.securityContext ?? {};
        const drop = [...(context.capabilities?.drop ?? []), "ALL"];
        const changed = {
          ...spec,
          containers: spec.containers.map((c, i) =>
            i === index
              ? { ...c, securityContext: { ...context, capabilities: { ...context.capabilities, drop } } }
              : c,
          ),
        };
        const after = evaluatePodSecurity(changed, "restricted");
        const previous = new Set(keys(before));
        expect(keys(after).filter((k) => !previous.has(k))).toEqual([]);
        const path = `spec.containers[${target.name}].securityContext.capabilities.drop`;
        // Names repeat in generated pods: only a unique name pins the path to this container.
        if (spec.containers.filter((c) => c.name === target.name).length === 1)
          expect(after.filter((x) => x.path === path)).toEqual([]);
      }),
    );
  });

  it("a Windows pod is never judged for the Linux-only restricted controls", () => {
    fc.assert(
      fc.property(podSpec, (spec) => {
        const windows = evaluatePodSecurity({ ...spec, os: { name: "windows" } }, "restricted");
        const linuxOnly = windows.filter(
          (x) =>
            x.profile === "restricted" &&
            [C.privilegeEscalation, C.seccomp, C.capabilities].includes(x.control as never),
        );
        expect(linuxOnly).toEqual([]);
      }),
    );
  });
});
