import {
  asLifeCycleObserver,
  Binding,
  createBindingFromClass,
} from '@loopback/core';
import {ChatServiceBindings} from '../keys';
import {EventHub} from './event-hub';
import {EventLog} from './event-log';
import {EventPruner} from './event-pruner';
import {EventSequencer} from './event-sequencer';
import {ChatHealthService} from './health.service';
import {PresenceService} from './presence.service';
import {RealtimeService} from './realtime.service';
import {ChatShutdownService} from './shutdown.service';

/**
 * The real-time bindings but the bus, which follows the configuration
 * (`configuredBindings`).
 */
export function realtimeBindings(): Binding[] {
  return [
    createBindingFromClass(EventSequencer, {
      key: ChatServiceBindings.EVENT_SEQUENCER,
    }).apply(asLifeCycleObserver),
    createBindingFromClass(EventLog, {key: ChatServiceBindings.EVENT_LOG}),
    createBindingFromClass(EventHub, {
      key: ChatServiceBindings.EVENT_HUB,
    }).apply(asLifeCycleObserver),
    createBindingFromClass(EventPruner, {
      key: ChatServiceBindings.EVENT_PRUNER,
    }).apply(asLifeCycleObserver),
    createBindingFromClass(PresenceService, {
      key: ChatServiceBindings.PRESENCE_SERVICE,
    }).apply(asLifeCycleObserver),
    createBindingFromClass(RealtimeService, {
      key: ChatServiceBindings.REALTIME_SERVICE,
    }),
    createBindingFromClass(ChatHealthService, {
      key: ChatServiceBindings.HEALTH,
    }),
    // in the REST server's observer group: see CHAT_SHUTDOWN_OBSERVER_GROUP
    createBindingFromClass(ChatShutdownService, {
      key: ChatServiceBindings.SHUTDOWN,
    }).apply(asLifeCycleObserver),
  ];
}
