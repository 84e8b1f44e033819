import type { VigilRuntime } from "../pipeline/runtime";
import type { Collector } from "./collector";
import type { ScanReport, SweepUnit, SweepUnitResult } from "./report";

export interface PlanInput {
  account: string;
  /** Regions to sweep; the first is the home Region, where `global` collectors run. */
  regions: readonly string[];
  collectors: readonly Collector[];
  /** Only these resource types (e.g. the types of `--checks`); all when undefined. */
  resourceTypes?: readonly string[];
}

/** The sweep's units: every regional collector in every Region, global ones in the home Region. */
export function planUnits(input: PlanInput): SweepUnit[] {
  void input;
  throw new Error("not implemented yet");
}

export interface SweepUnitOptions {
  collectors: readonly Collector[];
  /** Only these checks are evaluated and reconciled; all of the unit's type when undefined. */
  checkIds?: readonly string[];
}

/**
 * Collects one unit and runs every resource through the event path's processing (checks,
 * exemptions, remediation in the configured modes, findings, alerts), then reconciles: open
 * findings of the unit's type whose resource was not listed are closed as deleted. `rt` must
 * address the unit's Region (its read and remediation clients).
 */
export async function sweepUnit(
  unit: SweepUnit,
  rt: VigilRuntime,
  options: SweepUnitOptions,
): Promise<SweepUnitResult> {
  void unit;
  void rt;
  void options;
  throw new Error("not implemented yet");
}

export interface SweepOptions extends SweepUnitOptions {
  units: readonly SweepUnit[];
  /** The runtime for one Region (clients addressing it). */
  runtimeFor(region: string): VigilRuntime | Promise<VigilRuntime>;
  /** Units run at once (default 4). */
  concurrency?: number;
  onUnitDone?(result: SweepUnitResult, done: number, total: number): void;
}

/** Runs the units with bounded concurrency and builds the report from the stored findings. */
export async function runSweep(options: SweepOptions): Promise<ScanReport> {
  void options;
  throw new Error("not implemented yet");
}
