import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ProcessDefinitionVersion } from '@xuncha/persistence';
import { MessageRepository, ProcessDefinitionRepository } from '@xuncha/persistence';
import { stableInstanceId } from './instance-id';
import { InstanceLauncher } from './instance-launcher';

/** A message as message start events see it. */
export interface StartingMessage {
  name: string;
  correlationKey: string;
  variables: Record<string, unknown>;
  /** The buffered message's key, when it is buffered: it then reaches each process at most once. */
  messageKey: string | null;
  /** The publisher's idempotency key, if any. */
  messageId: string | null;
}

/** The message start events of a version's process, by message name. */
function messageStarts(version: ProcessDefinitionVersion): Array<{ startEventId: string; messageName: string }> {
  return version.graph.children.flatMap((id) => {
    const node = version.graph.nodes[id];
    return node?.type === 'startEvent' && node.trigger?.kind === 'message' ? [{ startEventId: node.id, messageName: node.trigger.messageName }] : [];
  });
}

/**
 * Message start events as in Camunda 8: a message starts an instance of every process (its
 * latest version) with a start event of that name, at most one active instance per process
 * and non-empty correlation key; a message that finds its key locked stays buffered (with a
 * time-to-live) and starts the next instance when the locking one ends.
 */
@Injectable()
export class MessageStarts {
  constructor(
    private readonly definitions: ProcessDefinitionRepository,
    private readonly messages: MessageRepository,
    private readonly launcher: InstanceLauncher,
  ) {}

  /** Starts what `message` starts, except in the processes it has already reached; answers the instances started. */
  async start(message: StartingMessage, reached: ReadonlySet<string>): Promise<string[]> {
    const started: string[] = [];
    for (const { version, startEventId } of await this.definitions.startableByMessage(message.name)) {
      if (reached.has(version.key)) continue;
      const id = await this.startOne(version, startEventId, message);
      if (id) started.push(id);
    }
    return started;
  }

  /**
   * An instance holding the start lock of `processId` and `correlationKey` has ended: the oldest
   * buffered message for one of the process's start events with that key starts the next, the
   * lock passing straight from the ended instance to it. Answers the instance started, if any.
   */
  async startNext(processId: string, correlationKey: string, endedInstanceId: string): Promise<string | null> {
    const latest = await this.definitions.latest(processId);
    if (!latest) return null;
    const starts = messageStarts(latest);
    const message = await this.messages.oldestFor(processId, [...new Set(starts.map((start) => start.messageName))], correlationKey);
    if (!message) return null;
    const start = starts.find((candidate) => candidate.messageName === message.name)!;
    return this.startOne(latest, start.startEventId, { ...message, messageKey: message.key, messageId: null }, endedInstanceId);
  }

  /** How often a start that met a taken lock looks again: the instance holding it may have ended meanwhile, missing this message. */
  private static readonly LOCK_ATTEMPTS = 3;

  private async startOne(version: ProcessDefinitionVersion, startEventId: string, message: StartingMessage, takeOverFrom: string | null = null): Promise<string | null> {
    // The publisher's id first: a retried publication starts the instance it started before.
    const id =
      message.messageId !== null
        ? stableInstanceId(version.key, message.messageId)
        : message.messageKey !== null
          ? stableInstanceId(version.key, `message-key:${message.messageKey}`)
          : randomUUID();
    for (let attempt = 0; attempt < MessageStarts.LOCK_ATTEMPTS; attempt++) {
      if (message.messageKey !== null && !(await this.messages.claim(message.messageKey, version.key, id))) return null;
      const locked = message.correlationKey === '' || (await this.messages.lockStart(version.key, message.correlationKey, id, takeOverFrom));
      if (locked) {
        try {
          await this.launcher.launch({ id, definition: version, variables: message.variables, businessKey: null, startEventId });
        } catch (error) {
          if (message.correlationKey !== '') await this.messages.releaseStartLocks(id);
          if (message.messageKey !== null) await this.messages.unclaim(message.messageKey, version.key, id);
          throw error;
        }
        return id;
      }
      // An instance of this process for this key is active: a buffered message waits for it to end.
      if (message.messageKey === null) return null;
      await this.messages.unclaim(message.messageKey, version.key, id);
    }
    return null;
  }
}
