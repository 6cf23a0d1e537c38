/**
 * Reads across a partition's segments (Kafka's LocalLog.read and convertToOffsetMetadataOrThrow),
 * for PartitionLog, which checks the range and picks the upper bound.
 *
 * A position is a LogOffsetMetadata: an offset, the base offset of the segment holding its batch and
 * the batch's byte position in that segment's `.log`. A bound is exclusive: reads stop at its byte
 * position in its segment and below its offset.
 */
import { FetchDataInfo, type LogOffsetMetadata, type ReadOptions } from './fetch-data-info.js';
import type { LogSegments } from './log-segments.js';

/**
 * Whole batches from the one holding `startOffset` (startOffset is in [logStartOffset, bound)), from
 * the first segment with any: at most opts.maxBytes (the first batch whole with minOneMessage).
 */
export function readSegments(
  segments: LogSegments,
  startOffset: number,
  opts: ReadOptions,
  bound: LogOffsetMetadata,
): FetchDataInfo {
  let segment = segments.floorSegment(startOffset);
  while (segment !== undefined && segment.baseOffset <= bound.segmentBaseOffset) {
    const atBound = segment.baseOffset === bound.segmentBaseOffset;
    const r = segment.read(
      startOffset,
      opts.maxBytes,
      atBound ? bound.relativePositionInSegment : segment.size,
      atBound ? bound.messageOffset : segment.nextOffset,
      opts.minOneMessage,
    );
    if (r !== null) {
      if (r.length === 0) return FetchDataInfo.empty(r.nextOffset);
      return new FetchDataInfo(segment.log.retainRegion(r.position, r.length), r.nextOffset, segment.log);
    }
    segment = segments.higherSegment(segment.baseOffset);
  }
  return FetchDataInfo.empty(startOffset);
}

/** Where `offset` is: the position of the batch holding it (or of the first batch after it); `leo` at or past the log end. */
export function offsetMetadataIn(segments: LogSegments, offset: number, leo: LogOffsetMetadata): LogOffsetMetadata {
  if (offset >= leo.messageOffset) return leo;
  let segment = segments.floorSegment(offset) ?? segments.firstSegment;
  while (segment !== undefined) {
    const b = segment.translateOffset(offset);
    if (b !== null) {
      return {
        messageOffset: Math.min(offset, b.baseOffset),
        segmentBaseOffset: segment.baseOffset,
        relativePositionInSegment: b.position,
      };
    }
    segment = segments.higherSegment(segment.baseOffset);
  }
  return leo;
}
