/**
 * The highest controller epoch this broker has seen (Kafka's ReplicaManager.controllerEpoch), shared
 * by LeaderAndIsr, StopReplica and UpdateMetadata: a request from an older controller is refused
 * (a zombie controller that lost /controller but has not noticed yet). 0 at start (Kafka's
 * KafkaController.InitialControllerEpoch), so epoch 0 itself is accepted.
 */
export class ControllerEpochFence {
  private epoch = 0;

  get controllerEpoch(): number {
    return this.epoch;
  }

  /** Whether a request at `controllerEpoch` is stale (below the highest seen). */
  isStale(controllerEpoch: number): boolean {
    return controllerEpoch < this.epoch;
  }

  /** Records an accepted request's epoch; the fence never moves down. */
  accept(controllerEpoch: number): void {
    if (controllerEpoch > this.epoch) this.epoch = controllerEpoch;
  }
}
