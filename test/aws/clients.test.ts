import { EC2Client } from "@aws-sdk/client-ec2";
import { KMSClient } from "@aws-sdk/client-kms";
import { describe, expect, it, vi } from "vitest";
import { readClients, remediationClients } from "../../shared/aws/clients";
import { lazy } from "../../shared/core/lazy";

describe("lazy", () => {
  it("creates nothing until asked, then once, even for concurrent first calls", async () => {
    const create = vi.fn(async () => ({ created: true }));
    const get = lazy(create);
    expect(create).not.toHaveBeenCalled();

    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("forgets a failed creation, so the next call tries again", async () => {
    const create = vi.fn<() => Promise<string>>();
    create.mockRejectedValueOnce(new Error("chunk failed to load")).mockResolvedValueOnce("client");
    const get = lazy(create);

    await expect(get()).rejects.toThrow("chunk failed to load");
    expect(await get()).toBe("client");
    expect(await get()).toBe("client");
    expect(create).toHaveBeenCalledTimes(2);
  });
});

describe("clients", () => {
  it("load the EC2 client on first use and keep it", async () => {
    const reads = readClients();
    const ec2 = await reads.ec2();
    expect(ec2).toBeInstanceOf(EC2Client);
    expect(await reads.ec2()).toBe(ec2);
  });

  it("load the KMS client (ECR.5's DescribeKey) on first use and keep it", async () => {
    const reads = readClients();
    const kms = await reads.kms();
    expect(kms).toBeInstanceOf(KMSClient);
    expect(await reads.kms()).toBe(kms);
  });

  it("share the read client for remediation unless a role is to be assumed", async () => {
    const reads = readClients();
    expect(remediationClients(undefined, reads)).toBe(reads);

    const assumed = remediationClients("arn:aws:iam::111122223333:role/vigil-remediation-us-east-1", reads);
    const ec2 = await assumed.ec2();
    expect(ec2).toBeInstanceOf(EC2Client);
    expect(ec2).not.toBe(await reads.ec2());
    expect(await assumed.ec2()).toBe(ec2);
  });
});
