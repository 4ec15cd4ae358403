#pragma once
// The embedded broker a bus suite publishes to and consumes from, with alabos's topics
// created the way a lab creates them.
#include "core/bus/embeddedbroker.h"
#include "core/bus/topics.h"

namespace alabos::test {

// Starts `broker` with one partition a topic, points `settings` at it and creates the topics;
// false (and why) when any of it fails.
inline bool startBrokerWithTopics(EmbeddedBroker &broker, KafkaSettings *settings, QString *error)
{
    if (!broker.start(1, error)) return false;
    settings->bootstrap = broker.bootstrap();
    return ensureTopics(*settings, &broker, {}, error);
}

} // namespace alabos::test
