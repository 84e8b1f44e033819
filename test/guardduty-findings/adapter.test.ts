import { describe, expect, it } from "vitest";
import { envelopeSchema } from "../../shared/events/envelope";
import { UnusableEventError } from "../../shared/resources/adapter";
import { guardDutyActor } from "../../shared/resources/guardduty-finding/actor";
import adapter from "../../shared/resources/guardduty-finding/adapter";
import type { GuardDutyFindingState } from "../../shared/resources/guardduty-finding/state";
import {
  ACCOUNT,
  BITCOIN_FINDING,
  ENI_ID,
  INSTANCE_ID,
  K8S_FINDING,
  KEY_FINDING,
  SAMPLE_FINDING,
  SSH_FINDING,
  WEB_GROUP,
  findingEvent,
  type FindingEvent,
} from "./support";

function observe(event: FindingEvent) {
  const fromEvent = adapter.fromEvent;
  if (!fromEvent) throw new Error("the adapter reads no service events");
  return fromEvent(envelopeSchema.parse(event));
}
function stateOf(event: FindingEvent): GuardDutyFindingState {
  const [observation] = observe(event);
  if (!observation?.state) throw new Error("no state");
  return observation.state;
}

describe("GuardDuty Finding events -> AWS::GuardDuty::Finding", () => {
  it("the EC2 SSH brute-force sample: the whole finding, resource named by the GuardDuty finding id", () => {
    const [observation] = observe(findingEvent("ec2-ssh-bruteforce"));
    expect(observation).toMatchObject({
      resource: {
        type: "AWS::GuardDuty::Finding",
        id: SSH_FINDING,
        arn: `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/6ac8e2f4b1d3a5c7e9f0b2d4a6c8e0f2/finding/${SSH_FINDING}`,
        account: ACCOUNT,
        region: "us-east-1",
        name: "UnauthorizedAccess:EC2/SSHBruteForce",
      },
      complete: true,
      tagsKnown: true,
      observedAt: "2025-03-14T16:58:14.903Z",
    });
    expect(observation?.state).toEqual({
      findingId: SSH_FINDING,
      findingArn: observation?.resource.arn,
      detectorId: "6ac8e2f4b1d3a5c7e9f0b2d4a6c8e0f2",
      accountId: ACCOUNT,
      receivedInAccount: ACCOUNT,
      region: "us-east-1",
      type: "UnauthorizedAccess:EC2/SSHBruteForce",
      severity: 2,
      title: "203.0.113.66 is performing SSH brute force attacks against i-0c5e7a9b1d3f24680.",
      description: expect.stringContaining("guessing the SSH password"),
      createdAt: "2025-03-14T16:58:14.903Z",
      updatedAt: "2025-03-14T16:58:14.903Z",
      count: 1,
      eventFirstSeen: "2025-03-14T16:41:09.000Z",
      eventLastSeen: "2025-03-14T16:52:30.000Z",
      archived: false,
      sample: false,
      resourceRole: "TARGET",
      featureName: "FlowLogs",
      resource: {
        resourceType: "Instance",
        instance: {
          instanceId: INSTANCE_ID,
          instanceType: "t3.medium",
          instanceState: "running",
          name: "legacy-reporting-01",
          networkInterfaces: [
            {
              networkInterfaceId: ENI_ID,
              securityGroupIds: [WEB_GROUP],
              vpcId: "vpc-0d4e7a1c9b3f5e268",
              subnetId: "subnet-0a7c9e1b3d5f24681",
              privateIp: "10.40.12.87",
              publicIp: "198.51.100.77",
            },
          ],
          tags: { Name: "legacy-reporting-01" },
        },
      },
      action: {
        actionType: "NETWORK_CONNECTION",
        remote: {
          ip: "203.0.113.66",
          organization: "Example Hosting",
          asn: "64512",
          country: "Netherlands",
          city: "Amsterdam",
        },
        direction: "INBOUND",
        protocol: "TCP",
        localPort: 22,
        remotePort: 48312,
        blocked: false,
      },
      tags: {},
    });
  });

  it("the Kubernetes sample names the cluster, namespace, pod, image, privileged container and the user", () => {
    const state = stateOf(findingEvent("kubernetes-privileged-container"));
    expect(state.findingId).toBe(K8S_FINDING);
    expect(state.resource).toEqual({
      resourceType: "EKSCluster",
      eks: {
        clusterName: "orders-prod",
        clusterArn: "arn:aws:eks:us-east-1:111122223333:cluster/orders-prod",
        namespace: "orders",
        workloadName: "debug-shell",
        workloadType: "pods",
        images: ["alpine:3.21"],
        privilegedContainers: ["shell"],
        user: { username: "dana.lee@example.com", groups: ["system:authenticated", "eks-admins"] },
      },
    });
    expect(state.action).toEqual({
      actionType: "KUBERNETES_API_CALL",
      remote: {
        ip: "198.51.100.23",
        organization: "Example ISP",
        asn: "64500",
        country: "United States",
        city: "Seattle",
      },
      verb: "create",
      requestUri: "/api/v1/namespaces/orders/pods",
      sourceIps: ["198.51.100.23"],
      userAgent: "kubectl/v1.31.4 (linux/amd64) kubernetes/a78aa47",
      statusCode: 201,
    });
    expect(guardDutyActor(state)).toEqual({
      type: "KubernetesUser",
      userName: "dana.lee@example.com",
      sourceIp: "198.51.100.23",
      userAgent: "kubectl/v1.31.4 (linux/amd64) kubernetes/a78aa47",
    });
  });

  it("an AWS API call finding: the access key and its user become the actor, with IP and user agent", () => {
    const state = stateOf(findingEvent("iam-instance-credentials-outside-aws"));
    expect(state.findingId).toBe(KEY_FINDING);
    expect(state.resource.accessKey).toEqual({
      accessKeyId: "ASIAXMPL7QW2E4R6T8YU",
      principalId: "AROAXMPLE6G8J1K3M5P7R:i-0c5e7a9b1d3f24680",
      userName: "legacy-reporting",
      userType: "AssumedRole",
    });
    expect(guardDutyActor(state)).toEqual({
      type: "AssumedRole",
      userName: "legacy-reporting",
      principalId: "AROAXMPLE6G8J1K3M5P7R:i-0c5e7a9b1d3f24680",
      accessKeyId: "ASIAXMPL7QW2E4R6T8YU",
      sourceIp: "203.0.113.205",
      userAgent: "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22",
    });
  });

  it("actors: inbound connections name the remote host; outbound ones and DNS queries name none", () => {
    expect(guardDutyActor(stateOf(findingEvent("ec2-ssh-bruteforce")))).toEqual({
      type: "RemoteHost",
      sourceIp: "203.0.113.66",
    });
    const outbound = stateOf(findingEvent("ec2-bitcoin-tool-outbound"));
    expect(outbound.findingId).toBe(BITCOIN_FINDING);
    expect(outbound.action).toMatchObject({ direction: "OUTBOUND", remotePort: 3333 });
    expect(guardDutyActor(outbound)).toBeUndefined();
    expect(guardDutyActor(stateOf(findingEvent("sample-ec2-bitcoin-dns")))).toBeUndefined();
  });

  it("sample findings are recognised from additionalInfo.sample, or only from its JSON value", () => {
    const sample = findingEvent("sample-ec2-bitcoin-dns");
    expect(stateOf(sample)).toMatchObject({ findingId: SAMPLE_FINDING, sample: true });
    expect(observe(sample)[0]?.resource.name).toBe("[SAMPLE] CryptoCurrency:EC2/BitcoinTool.B!DNS");
    delete sample.detail.service.additionalInfo.sample;
    expect(stateOf(sample).sample).toBe(true);
    sample.detail.service.additionalInfo.value = '{"domain":"x","sample":false}';
    expect(stateOf(sample).sample).toBe(false);
    expect(stateOf(findingEvent("ec2-ssh-bruteforce")).sample).toBe(false);
  });

  it("archived and republished copies keep the finding id; count and times move on", () => {
    const republished = stateOf(findingEvent("ec2-ssh-bruteforce-republished"));
    expect(republished).toMatchObject({ findingId: SSH_FINDING, count: 14, archived: false });
    expect(republished.updatedAt > stateOf(findingEvent("ec2-ssh-bruteforce")).updatedAt).toBe(true);
    expect(stateOf(findingEvent("ec2-ssh-bruteforce-archived"))).toMatchObject({
      findingId: SSH_FINDING,
      archived: true,
    });
  });

  it("a delegated administrator's copy of a member's finding is about the member account", () => {
    const event = findingEvent("ec2-ssh-bruteforce");
    event.detail.accountId = "444455556666";
    const [observation] = observe(event);
    expect(observation?.resource.account).toBe("444455556666");
    expect(observation?.state).toMatchObject({ accountId: "444455556666", receivedInAccount: ACCOUNT });
  });

  it("bounds what attacker-chosen text can put in state: long user agents and URIs are cut, lists capped", () => {
    const event = findingEvent("kubernetes-privileged-container");
    const detail = event.detail as unknown as {
      service: { action: { kubernetesApiCallAction: Record<string, unknown> } };
      resource: { kubernetesDetails: { kubernetesWorkloadDetails: { containers: unknown[] } } };
    };
    const call = detail.service.action.kubernetesApiCallAction;
    call.userAgent = "A".repeat(10_000);
    call.requestUri = `/api/${"x".repeat(10_000)}`;
    call.sourceIPs = Array.from({ length: 500 }, (_, i) => `198.51.100.${i % 250}`);
    detail.resource.kubernetesDetails.kubernetesWorkloadDetails.containers = Array.from(
      { length: 200 },
      (_, i) => ({
        name: `c${i}`,
        image: `registry.example.com/app-${i}:1`,
      }),
    );
    const state = stateOf(event);
    expect(state.action?.userAgent?.length).toBeLessThanOrEqual(300);
    expect(state.action?.requestUri?.length).toBeLessThanOrEqual(500);
    expect(state.action?.sourceIps).toHaveLength(10);
    expect(state.resource.eks?.images).toHaveLength(10);
    expect(JSON.stringify(state).length).toBeLessThan(6_000);
  });

  it("a Kubernetes request URI keeps its path, not the caller's query string", () => {
    const event = findingEvent("kubernetes-privileged-container");
    const detail = event.detail as unknown as {
      service: { action: { kubernetesApiCallAction: Record<string, unknown> } };
    };
    detail.service.action.kubernetesApiCallAction.requestUri =
      "/api/v1/namespaces/orders/pods?dryRun=All&token=abc";
    const state = stateOf(event);
    expect(state.action?.requestUri).toBe("/api/v1/namespaces/orders/pods");
    expect(JSON.stringify(state)).not.toContain("token=abc");
  });

  it("Runtime Monitoring findings: an empty action, and no process details (command lines) are kept", () => {
    const event = findingEvent("ec2-bitcoin-tool-outbound");
    event.detail.resource.resourceType = "Container";
    Object.assign(event.detail.resource, {
      containerDetails: {
        containerRuntime: "docker",
        id: "abcd1234",
        name: null,
        image: "ghcr.io/example/miner:1",
      },
    });
    Object.assign(event.detail.service, {
      action: {},
      runtimeDetails: { context: { commandLineExample: "/usr/bin/curl -H 'Authorization: Bearer s3cr3t'" } },
    });
    const state = stateOf(event);
    expect(state.action).toBeUndefined();
    expect(state.resource.container).toEqual({ image: "ghcr.io/example/miner:1" });
    expect(JSON.stringify(state)).not.toContain("s3cr3t");
  });

  it.each([
    ["no finding id", (e: FindingEvent) => delete (e.detail as Record<string, unknown>).id],
    ["a finding id with a slash", (e: FindingEvent) => (e.detail.id = "abc/../def")],
    ["severity out of range", (e: FindingEvent) => (e.detail.severity = 42)],
    ["severity as text", (e: FindingEvent) => ((e.detail as Record<string, unknown>).severity = "HIGH")],
    ["no resource", (e: FindingEvent) => delete (e.detail as Record<string, unknown>).resource],
    ["no service", (e: FindingEvent) => delete (e.detail as Record<string, unknown>).service],
    ["updatedAt not a date", (e: FindingEvent) => (e.detail.updatedAt = "yesterday")],
    ["a malformed account", (e: FindingEvent) => (e.detail.accountId = "11112222")],
  ])("malformed detail (%s): UnusableEventError", (_name, edit) => {
    const event = findingEvent("ec2-ssh-bruteforce");
    edit(event);
    expect(() => observe(event)).toThrow(UnusableEventError);
  });

  it("reads no CloudTrail calls and no Config items; a finding has no tags to read", async () => {
    expect(() => adapter.fromConfigItem({} as Parameters<typeof adapter.fromConfigItem>[0])).toThrow(
      UnusableEventError,
    );
    const [observation] = observe(findingEvent("ec2-ssh-bruteforce"));
    if (!observation) throw new Error("no observation");
    expect(await adapter.readTags(observation, {} as Parameters<typeof adapter.readTags>[1])).toEqual({});
  });
});
