/**
 * A committee's own notices — the export-ready e-mail and the notice of a quarantined file — go to
 * that committee's members, whichever committee it is (docs/tenancy.md): the exporter's and the
 * scan's deps, built for a committee's scoped runtime as the functions build them, read the
 * recipients from that committee's member list in the DynamoDB emulator when a notice is due.
 * Before 7 December 2026 both were built only for the configured `COMMITTEE_EMAILS`, which only
 * the deployment's first committee has, so other committees got neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { createScanResultDeps } from '#functions/wiring/create-scan-deps.ts';
import { type Runtime, scopeRuntime } from '#functions/wiring/runtime.ts';
import { inviteMember } from '#shared/committee/members.ts';
import { addCommittee } from '#shared/tenancy/registry.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';

describe("a committee's own notices reach its own members", () => {
  let stack: TestStack;
  let child: Runtime;
  let empty: Runtime;

  beforeAll(async () => {
    stack = await startTestStack();
    const registry = createRegistryDeps(stack.runtime);
    for (const id of ['so-con', 'so-trong']) {
      const committee = await addCommittee(registry, { id, name: `Đảng ủy ${id}`, by: 'cli' });
      if (id === 'so-con') child = scopeRuntime(stack.runtime, committee);
      else empty = scopeRuntime(stack.runtime, committee);
    }
    const members = createMemberDeps(child);
    await inviteMember(members, { email: 'bithu@so-con.example.vn', role: 'admin' }, 'cli', {
      notify: false,
    });
    await inviteMember(members, { email: 'theodoi@so-con.example.vn', role: 'viewer' }, 'cli', {
      notify: false,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("addresses the export-ready e-mail and the quarantine notice to the child committee's members", async () => {
    const expected = ['bithu@so-con.example.vn', 'theodoi@so-con.example.vn'];
    expect((await createExportDeps(child).committeeRecipients()).sort()).toEqual(expected);
    expect((await createScanResultDeps(child).committeeRecipients()).sort()).toEqual(expected);
  });

  it('has no one to send them to in a committee without members (no message is built), and the first committee keeps its configured addresses', async () => {
    expect(await createExportDeps(empty).committeeRecipients()).toEqual([]);
    expect(await createScanResultDeps(empty).committeeRecipients()).toEqual([]);
    // The child's members are not the first committee's: its list is its own.
    const first = await createExportDeps(stack.runtime).committeeRecipients();
    expect(first).not.toContain('bithu@so-con.example.vn');
    expect(first).toEqual(stack.runtime.config.COMMITTEE_EMAILS);
  });
});
