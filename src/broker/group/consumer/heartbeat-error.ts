/**
 * A ConsumerGroupHeartbeat validation failure: Kafka's error code and message, thrown inside the
 * coordinator's synchronous checks and turned into the response by `ConsumerGroupCoordinator.heartbeat`.
 */
export class HeartbeatError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const fail = (code: number, message: string): never => {
  throw new HeartbeatError(code, message);
};
