/**
 * In-memory fakes of the hold ports with the same guarantees as the DynamoDB adapter: each method is
 * one atomic step (like one transaction), and every call yields first so concurrent callers interleave.
 */
import type { ActiveHold, HeldRecording } from '../../../functions/domain/compliance.js';
import { dayOf } from '../../../functions/domain/days.js';
import type {
  ApplyOutcome,
  DeletionFloor,
  DeletionRecord,
  DeletionReport,
  FanoutMessage,
  FanoutPort,
  HeldLink,
  Hold,
  HoldFailure,
  HoldProgress,
  HoldReview,
  HoldsStore,
  ObjectLockPort,
  Page,
  RecordingFacts,
  RecordingsPort,
  ReleaseOutcome,
  SweepCursor,
  SweepCursorStore,
} from '../../../functions/domain/holds.js';
import { MAX_NAMED_FAILURES } from '../../../functions/domain/holds.js';
import type { DeletionCertificate } from '../../../functions/domain/recording.js';
import { retentionDates } from '../../../functions/domain/retention.js';
import type { HoldCounters } from '../../../functions/legal-hold/use-cases.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

type MutableRecording = { -readonly [K in keyof RecordingFacts]: RecordingFacts[K] } & {
  agentId?: string;
  extension?: string;
};
type MutableHold = { -readonly [K in keyof Hold]: Hold[K] } & {
  progress: HoldProgress;
  countedPages: Set<string>;
};

export const recordingFacts = (
  recordingId: string,
  startedAt: string,
  overrides: Partial<MutableRecording> = {},
): MutableRecording => {
  const { deleteAfter } = retentionDates(new Date(startedAt));
  return {
    recordingId,
    serviceArea: 'revenues',
    startedAt,
    status: 'ARCHIVED',
    deleteAfter: deleteAfter.toISOString(),
    deleteDay: dayOf(deleteAfter),
    holdCount: 0,
    archiveKey: `revenues/${startedAt.slice(0, 4)}/${startedAt.slice(5, 7)}/${startedAt.slice(8, 10)}/${recordingId}.wav`,
    archiveVersionId: `v-${recordingId}`,
    audio: { format: 'wav', sizeBytes: 10, sha256: `sha-${recordingId}` },
    extension: '4001',
    agentId: 'agent-1',
    ...overrides,
  };
};

/**
 * The holds table and the catalogue in memory: one fake behind the four ports they serve (holds and
 * links, the catalogue's recordings, the sweeper's cursor, the deletion report); `storePorts` hands it
 * out under each port's name.
 */
export class FakeHoldsStore implements HoldsStore, RecordingsPort, SweepCursorStore, DeletionReport {
  readonly recordings = new Map<string, MutableRecording>();
  readonly holds = new Map<string, MutableHold>();
  readonly links = new Map<string, { holdId: string; recordingId: string; deleteAfter: string }>();
  readonly reviews: { holdId: string; review: HoldReview }[] = [];
  readonly deletions: DeletionRecord[] = [];
  cursor: SweepCursor | undefined;
  /** Calls per method, to show e.g. that the sweeper never lists the whole catalogue. */
  readonly calls: Record<string, number> = {};
  /** Items the index queries returned: what a sweep read. */
  itemsRead = 0;

  private count(name: string) {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
  }

  add(...recs: MutableRecording[]) {
    for (const r of recs) this.recordings.set(r.recordingId, { ...r });
  }

  private copy(r: MutableRecording): RecordingFacts {
    return { ...r };
  }

  async createHold(hold: Hold) {
    await tick();
    if (this.holds.has(hold.holdId)) throw new Error('hold exists');
    this.holds.set(hold.holdId, { ...hold, progress: { ...hold.progress }, countedPages: new Set() });
  }

  async getHold(holdId: string): Promise<Hold | undefined> {
    await tick();
    const h = this.holds.get(holdId);
    if (!h) return undefined;
    const { countedPages: _pages, ...hold } = h;
    return { ...hold, progress: { ...h.progress } };
  }

  async listActiveHolds(dueBy?: string) {
    await tick();
    const out: Hold[] = [];
    for (const h of this.holds.values())
      if (h.status === 'ACTIVE' && (!dueBy || h.reviewDate <= dueBy))
        out.push((await this.getHold(h.holdId)) as Hold);
    return out.sort((a, b) => a.reviewDate.localeCompare(b.reviewDate));
  }

  async applyToRecording(holdId: string, recordingId: string): Promise<ApplyOutcome> {
    this.count('applyToRecording');
    await tick();
    if (this.holds.get(holdId)?.status !== 'ACTIVE') return { outcome: 'hold-inactive' };
    const rec = this.recordings.get(recordingId);
    const key = `${holdId}|${recordingId}`;
    if (this.links.has(key))
      return rec ? { outcome: 'already', recording: this.copy(rec) } : { outcome: 'missing' };
    if (!rec) return { outcome: 'missing' };
    if (rec.status !== 'ARCHIVED') return { outcome: 'not-archived', status: rec.status };
    this.links.set(key, { holdId, recordingId, deleteAfter: rec.deleteAfter });
    rec.holdCount += 1;
    return { outcome: 'applied', recording: this.copy(rec) };
  }

  async releaseFromRecording(holdId: string, recordingId: string): Promise<ReleaseOutcome> {
    await tick();
    const key = `${holdId}|${recordingId}`;
    const rec = this.recordings.get(recordingId);
    if (!this.links.has(key) || !rec || rec.holdCount <= 0) return { outcome: 'not-linked' };
    this.links.delete(key);
    rec.holdCount -= 1;
    return { outcome: 'released', recording: this.copy(rec) };
  }

  async addProgress(
    holdId: string,
    pageId: string,
    delta: Partial<HoldProgress>,
    resolved = false,
    failures: readonly HoldFailure[] = [],
  ) {
    await tick();
    const h = this.holds.get(holdId);
    if (!h || h.countedPages.has(pageId)) return false;
    h.countedPages.add(pageId);
    const p = h.progress;
    h.progress = {
      matched: p.matched + (delta.matched ?? 0),
      applied: p.applied + (delta.applied ?? 0),
      failed: p.failed + (delta.failed ?? 0),
      released: p.released + (delta.released ?? 0),
    };
    if (resolved) h.scopeResolved = true;
    if (failures.length > 0)
      h.failures = [...(h.failures ?? []), ...failures]
        .sort((a, b) => a.recordingId.localeCompare(b.recordingId))
        .slice(0, MAX_NAMED_FAILURES);
    return true;
  }

  async markLifted(holdId: string, lifted: NonNullable<Hold['lifted']>) {
    await tick();
    const h = this.holds.get(holdId);
    if (h?.status !== 'ACTIVE') return false;
    h.status = 'LIFTED';
    h.lifted = lifted;
    return true;
  }

  async recordReview(holdId: string, review: HoldReview) {
    await tick();
    const h = this.holds.get(holdId);
    if (h?.status !== 'ACTIVE') throw new Error('ConditionalCheckFailed');
    this.reviews.push({ holdId, review });
    h.lastReview = review;
    if (review.nextReview) h.reviewDate = review.nextReview;
  }

  async linkedRecordings(holdId: string, limit: number) {
    await tick();
    return [...this.links.values()]
      .filter((l) => l.holdId === holdId)
      .slice(0, limit)
      .map((l) => l.recordingId);
  }

  async linksOfActiveHold(holdId: string): Promise<HeldLink[]> {
    await tick();
    return [...this.links.values()].filter((l) => l.holdId === holdId);
  }

  async getRecording(recordingId: string) {
    await tick();
    const r = this.recordings.get(recordingId);
    return r ? this.copy(r) : undefined;
  }

  async getRecordings(ids: readonly string[]) {
    await tick();
    return ids.flatMap((id) => {
      const r = this.recordings.get(id);
      return r ? [this.copy(r)] : [];
    });
  }

  async queryScopePage(
    query: { serviceArea: string; extension?: string; agentId?: string; from: string; to: string },
    next?: string,
  ): Promise<Page<string>> {
    await tick();
    const all = [...this.recordings.values()]
      .filter(
        (r) =>
          r.serviceArea === query.serviceArea &&
          r.status === 'ARCHIVED' &&
          r.startedAt >= query.from &&
          r.startedAt <= query.to,
      )
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.recordingId.localeCompare(b.recordingId));
    const offset = Number(next ?? 0);
    const page = all.slice(offset, offset + 250);
    const items = page
      .filter(
        (r) =>
          (!query.extension || r.extension === query.extension) &&
          (!query.agentId || r.agentId === query.agentId),
      )
      .map((r) => r.recordingId);
    return offset + 250 < all.length ? { items, next: String(offset + 250) } : { items };
  }

  async dueOnDay(day: string, until: string, limit: number, next?: string): Promise<Page<RecordingFacts>> {
    this.count('dueOnDay');
    await tick();
    const all = [...this.recordings.values()]
      .filter((r) => r.deleteDay === day && r.deleteAfter <= until)
      .sort(
        (a, b) => a.deleteAfter.localeCompare(b.deleteAfter) || a.recordingId.localeCompare(b.recordingId),
      );
    const start = next ? all.findIndex((r) => r.recordingId === next) + 1 : 0;
    const page = all.slice(start, start + limit);
    const last = page[page.length - 1];
    return start + limit < all.length && last
      ? { items: page.map((r) => this.copy(r)), next: last.recordingId }
      : { items: page.map((r) => this.copy(r)) };
  }

  /** As the awaitingDeletion GSI: (status, deleteDay) keys, only items that have a deleteDay. */
  async awaitingDeletion(
    status: 'ARCHIVED' | 'DELETED',
    byDay: string,
    limit: number,
    next?: string,
    fromDay?: string,
  ): Promise<Page<RecordingFacts>> {
    this.count('awaitingDeletion');
    await tick();
    const key = (r: MutableRecording) => `${r.deleteDay}#${r.recordingId}`;
    const all = [...this.recordings.values()]
      .filter(
        (r) =>
          r.status === status &&
          r.deleteDay !== undefined &&
          r.deleteDay <= byDay &&
          (!fromDay || r.deleteDay >= fromDay),
      )
      .sort((a, b) => key(a).localeCompare(key(b)));
    // Like ExclusiveStartKey: go on after the position, whatever happened to the item there.
    const rest = next ? all.filter((r) => key(r) > next) : all;
    const page = rest.slice(0, limit);
    this.itemsRead += page.length;
    const last = page[page.length - 1];
    return rest.length > limit && last
      ? { items: page.map((r) => this.copy(r)), next: key(last) }
      : { items: page.map((r) => this.copy(r)) };
  }

  async markDeleted(
    recording: Pick<RecordingFacts, 'recordingId'>,
    certificate: DeletionCertificate,
    floor: DeletionFloor,
  ) {
    await tick();
    const r = this.recordings.get(recording.recordingId);
    const notBefore =
      floor === 'deleteAfter' ? r?.deleteAfter : (r as { retainUntil?: string } | undefined)?.retainUntil;
    if (r?.status !== 'ARCHIVED' || r.holdCount !== 0 || !notBefore || notBefore > certificate.at)
      return false;
    r.status = 'DELETED';
    r.deletion = certificate;
    this.deletions.push({
      recordingId: r.recordingId,
      serviceArea: r.serviceArea,
      deleteAfter: r.deleteAfter,
      certificate,
    });
    return true;
  }

  async clearDeleteDay(recordingId: string) {
    await tick();
    const r = this.recordings.get(recordingId);
    if (r?.status === 'DELETED') delete r.deleteDay;
  }

  async recordArchiveDeletion(
    recording: Pick<RecordingFacts, 'recordingId'>,
    certificate: DeletionCertificate,
  ) {
    await tick();
    const r = this.recordings.get(recording.recordingId);
    if (!r || r.status === 'DELETED') return false;
    r.status = 'DELETED';
    r.deletion = certificate;
    delete r.deleteDay;
    this.deletions.push({
      recordingId: r.recordingId,
      serviceArea: r.serviceArea,
      deleteAfter: r.deleteAfter,
      certificate,
    });
    return true;
  }

  async getCursor() {
    await tick();
    return this.cursor;
  }

  async putCursor(cursor: SweepCursor) {
    await tick();
    this.cursor = cursor;
  }

  async rewindCursor(day: string) {
    await tick();
    if (this.cursor && this.cursor.day > day) this.cursor = { day };
  }

  async deletionsBetween(fromDay: string, toDay: string) {
    await tick();
    return this.deletions.filter(
      (d) => dayOf(d.certificate.at) >= fromDay && dayOf(d.certificate.at) <= toDay,
    );
  }
}

/** S3 as far as holds care: legal hold, retention tag, and refusal to delete a version under legal hold. */
export class FakeObjectLock implements ObjectLockPort {
  readonly legalHold = new Map<string, boolean>();
  readonly tags = new Map<string, string>();
  readonly deleted: string[] = [];
  /** Keys whose next call fails once (a transient S3 error). */
  readonly failOnce = new Set<string>();

  private maybeFail(key: string) {
    if (this.failOnce.delete(key)) throw new Error(`S3 unavailable for ${key}`);
  }

  async setLegalHold(key: string, _v: string | undefined, on: boolean) {
    await tick();
    this.maybeFail(key);
    this.legalHold.set(key, on);
  }

  async setRetentionTag(key: string, _v: string | undefined, value: 'hold' | 'standard') {
    await tick();
    this.tags.set(key, value);
  }

  async deleteVersion(key: string) {
    await tick();
    this.maybeFail(key);
    if (this.legalHold.get(key)) throw new Error(`AccessDenied: ${key} is under legal hold`);
    this.deleted.push(key);
  }
}

/** A queue that keeps messages until drained; `drain` delivers them like SQS (with optional duplicates). */
export class FakeFanout implements FanoutPort {
  readonly queue: FanoutMessage[] = [];
  sent = 0;

  async send(messages: readonly FanoutMessage[]) {
    await tick();
    this.queue.push(...messages);
    this.sent += messages.length;
  }

  /** Delivers until empty; `duplicate` re-delivers every message once more (at-least-once delivery). */
  async drain(deliver: (m: FanoutMessage) => Promise<void>, options: { duplicate?: boolean } = {}) {
    let delivered = 0;
    while (this.queue.length > 0) {
      const message = this.queue.shift() as FanoutMessage;
      try {
        await deliver(message);
      } catch {
        this.queue.push(message); // visibility timeout → redelivery
      }
      if (options.duplicate) await deliver(message);
      delivered += 1;
      if (delivered > 100_000) throw new Error('fan-out did not settle');
    }
    return delivered;
  }
}

/** The compliance report's hold lists as the counters adapter keeps them: keyed items, put and delete. */
export class FakeHoldCounters implements HoldCounters {
  /** `<area>/<holdId>` → the listed hold. */
  readonly holds = new Map<string, ActiveHold>();
  /** `<area>/<recordingId>/<holdId>` → the listed held recording. */
  readonly held = new Map<string, HeldRecording>();
  writes = 0;

  async trackHold(area: string, hold: ActiveHold) {
    await tick();
    this.writes += 1;
    this.holds.set(`${area}/${hold.holdId}`, hold);
  }

  async untrackHold(area: string, holdId: string) {
    await tick();
    this.writes += 1;
    this.holds.delete(`${area}/${holdId}`);
  }

  async trackHeldRecording(area: string, h: HeldRecording) {
    await tick();
    this.writes += 1;
    this.held.set(`${area}/${h.recordingId}/${h.holdId}`, h);
  }

  async untrackHeldRecording(area: string, h: Pick<HeldRecording, 'recordingId' | 'holdId'>) {
    await tick();
    this.writes += 1;
    this.held.delete(`${area}/${h.recordingId}/${h.holdId}`);
  }
}

/** One fake store under the name of each port it stands for, for a use case's deps. */
export const storePorts = (store: FakeHoldsStore) => ({
  store,
  holds: store,
  recordings: store,
  cursor: store,
  deletions: store,
});
