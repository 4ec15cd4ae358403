// alabos-broker: librdkafka's Kafka-protocol mock cluster (rdkafka_mock.h) in a process of its
// own, driven by EmbeddedBroker over stdin/stdout. In its own session it is its own
// scheduling group: inside alabos its fetch handling (it walks each partition's log from the
// oldest message set) competed with alabos's threads as one group while every PostgreSQL
// backend is a group of its own, and the commits waited for a CPU (BENCHMARKS.md, pipeline).
//
// Protocol, one line each way: it prints "bootstrap HOST:PORT" once started, then answers
// each command with "ok" or "error TEXT":
//   topic NAME PARTITIONS | down BROKER | up BROKER | errors APIKEY COUNT ERROR
// It exits when stdin closes, and dies with its parent.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <string>
#include <sys/prctl.h>
#include <unistd.h>
#include <vector>

namespace {
void reply(const std::string &line)
{
    std::fputs((line + '\n').c_str(), stdout);
    std::fflush(stdout);
}
} // namespace

int main(int argc, char **argv)
{
    const pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) return 1; // the parent died before the line above
    setsid();
    const int brokers = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1;
    char errstr[512];
    // The handle only hosts the broker: it has no bootstrap servers, and librdkafka's notice
    // saying so (level 5) would be printed at every start. Warnings and errors still show.
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof errstr);
    rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    rd_kafka_mock_cluster_t *cluster = host ? rd_kafka_mock_cluster_new(host, brokers) : nullptr;
    if (!cluster) {
        reply(std::string("error ") + (host ? "no free port on 127.0.0.1?" : errstr));
        return 1;
    }
    reply(std::string("bootstrap ") + rd_kafka_mock_cluster_bootstraps(cluster));
    char line[1024];
    while (std::fgets(line, sizeof line, stdin)) {
        char name[512];
        int a = 0, b = 0, c = 0;
        if (std::sscanf(line, "topic %511s %d", name, &a) == 2) {
            const rd_kafka_resp_err_t err =
                rd_kafka_mock_topic_create(cluster, name, a, std::min(brokers, 3));
            reply(err ? std::string("error ") + rd_kafka_err2str(err) : "ok");
        } else if (std::sscanf(line, "down %d", &a) == 1) {
            rd_kafka_mock_broker_set_down(cluster, a);
            reply("ok");
        } else if (std::sscanf(line, "up %d", &a) == 1) {
            rd_kafka_mock_broker_set_up(cluster, a);
            reply("ok");
        } else if (std::sscanf(line, "errors %d %d %d", &a, &b, &c) == 3 && b > 0) {
            const std::vector<rd_kafka_resp_err_t> errors(size_t(b),
                                                          static_cast<rd_kafka_resp_err_t>(c));
            rd_kafka_mock_push_request_errors_array(cluster, int16_t(a), size_t(b), errors.data());
            reply("ok");
        } else {
            reply(std::string("error unknown command: ") + line);
        }
    }
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(host);
    return 0;
}
