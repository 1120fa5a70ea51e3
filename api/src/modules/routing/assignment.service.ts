/**
 * The assignment engine (QUE-1, QUE-3, QUE-9, QUE-10, QUE-12, QUE-13). Being written; see below.
 */
export class AssignmentService {
  /** Capacity of this agent may have been freed (status back to online, max raised, a close): pull from the queue. */
  async agentFreed(tenantId: string, userId: string): Promise<void> {
    void tenantId;
    void userId;
  }
}
