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
//
// Usage: alabos-broker BROKERS [PORT,PORT...]. With ports (a restart after this helper died),
// broker i listens on the i-th port again, so that every client, consoles in other processes
// included, reconnects by itself to the bootstrap it already has. librdkafka 2.0.2 has no
// setting for the mock's ports (rd_kafka_mock_cluster_new always binds 127.0.0.1:0), so this
// executable defines bind(): librdkafka's call resolves to it, and it only rewrites the port
// of the mock's own listener binds (127.0.0.1, port 0), in order, then calls the C library's.
// A port that is taken makes the start fail ("error ..."): the caller retries later.
// At a first start the listeners take free ports above the kernel's ephemeral range, so
// that no outgoing connection of any program can be given one while a dead helper's
// successor waits to take it again.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fstream>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <random>
#include <string>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {
// The ports the listeners take again, in the order the mock creates its brokers; empty at a
// first start. Written before the cluster is created, read only by bind() below.
std::vector<in_port_t> g_listenPorts;
size_t g_listenersBound = 0;

// Ports no outgoing connection is given and no service registers: above Linux's ephemeral
// range (32768-60999 by default) in IANA's dynamic range (49152-65535), at least 500 of
// them. {0, 0} when the machine's range leaves fewer (the kernel then chooses, as librdkafka
// asks).
std::pair<int, int> portsOutsideTheEphemeralRange()
{
    int low = 32768, high = 60999;
    std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
    range >> low >> high;
    const int first = std::max(high + 1, 49152);
    return first <= 65535 - 500 ? std::pair{first, 65535} : std::pair{0, 0};
}

int bindOutsideTheEphemeralRange(int fd, sockaddr_in address,
                                 int (*libcBind)(int, const struct sockaddr *, socklen_t))
{
    const auto [first, last] = portsOutsideTheEphemeralRange();
    if (first > 0) {
        std::mt19937 random{std::random_device{}()};
        std::uniform_int_distribution<int> pick(first, last);
        for (int attempt = 0; attempt < 200; ++attempt) {
            address.sin_port = htons(in_port_t(pick(random)));
            if (libcBind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0)
                return 0;
        }
    }
    address.sin_port = 0;
    return libcBind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address);
}

void reply(const std::string &line)
{
    std::fputs((line + '\n').c_str(), stdout);
    std::fflush(stdout);
}
} // namespace

extern "C" int bind(int fd, const struct sockaddr *address, socklen_t length)
{
    using Bind = int (*)(int, const struct sockaddr *, socklen_t);
    static const Bind libcBind = reinterpret_cast<Bind>(dlsym(RTLD_NEXT, "bind"));
    if (address && address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
        sockaddr_in chosen;
        std::memcpy(&chosen, address, sizeof chosen);
        const bool listener =
            chosen.sin_port == 0 && chosen.sin_addr.s_addr == htonl(INADDR_LOOPBACK);
        if (listener && g_listenPorts.empty())
            return bindOutsideTheEphemeralRange(fd, chosen, libcBind);
        if (listener && g_listenersBound < g_listenPorts.size()) {
            chosen.sin_port = htons(g_listenPorts[g_listenersBound++]);
            // The dead helper's accepted connections linger in TIME_WAIT on this port.
            const int on = 1;
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
            return libcBind(fd, reinterpret_cast<const sockaddr *>(&chosen), sizeof chosen);
        }
    }
    return libcBind(fd, address, length);
}

int main(int argc, char **argv)
{
    const pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) return 1; // the parent died before the line above
    setsid();
    const int brokers = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1;
    if (argc > 2) {
        for (const char *p = argv[2]; *p;) {
            char *end = nullptr;
            const long port = std::strtol(p, &end, 10);
            if (end == p || port <= 0 || port > 65535) {
                reply(std::string("error bad port list: ") + argv[2]);
                return 1;
            }
            g_listenPorts.push_back(in_port_t(port));
            p = *end == ',' ? end + 1 : end;
        }
    }
    char errstr[512];
    // The handle only hosts the broker: it has no bootstrap servers, and librdkafka's notice
    // saying so (level 5) would be printed at every start. Warnings and errors still show.
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof errstr);
    rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    rd_kafka_mock_cluster_t *cluster = host ? rd_kafka_mock_cluster_new(host, brokers) : nullptr;
    if (!cluster) {
        reply(std::string("error ") + (!host ? errstr
                                       : g_listenPorts.empty()
                                           ? "no free port on 127.0.0.1?"
                                           : "the port " + std::string(argv[2]) + " is taken"));
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
