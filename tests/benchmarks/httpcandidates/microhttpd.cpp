// Candidate: GNU libmicrohttpd 0.9.75 (epoll, a pool of two threads).
#include "workload.h"

#include <csignal>
#include <cstring>
#include <microhttpd.h>

static QHash<QByteArray, QByteArray> documents;

static MHD_Result answer(void *, MHD_Connection *connection, const char *url, const char *,
                         const char *, const char *, size_t *, void **)
{
    const QByteArray path(url);
    const auto it = documents.constFind(path.mid(9));
    const QByteArray &body = it == documents.constEnd() ? QByteArray("{}") : *it;
    MHD_Response *response = MHD_create_response_from_buffer(
        size_t(body.size()), const_cast<char *>(body.constData()), MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(response, "Content-Type", "application/json");
    const MHD_Result r = MHD_queue_response(
        connection, it == documents.constEnd() ? MHD_HTTP_NOT_FOUND : MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return r;
}

int main(int argc, char **argv)
{
    documents = deviceDocuments();
    const int port = argc > 1 ? atoi(argv[1]) : 18003;
    MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, uint16_t(port), nullptr, nullptr,
        &answer, nullptr, MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_CONNECTION_LIMIT, 10000u,
        MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
    if (!daemon) return 1;
    std::fprintf(stderr, "microhttpd on %d\n", port);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    int sig = 0;
    sigwait(&set, &sig);
    MHD_stop_daemon(daemon);
    return 0;
}
