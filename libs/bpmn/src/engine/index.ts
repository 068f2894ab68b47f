// The engine's entry point. Pure and sandbox-safe: no Node built-ins, no I/O, no clock.
export * from './feel-runtime';
export * from './simulator';
export * from './step';
export * from './time';
export * from './cron';
export * from './error-catch';
export * from './timer-start';
export * from './types';
export * from './conformance';
export type { CallBinding, EventTrigger, GraphFlow, GraphNode, NodeType, ProcessGraph, TimerSpec } from '../definition/graph';
export * from './form';
export * from './forecast';
