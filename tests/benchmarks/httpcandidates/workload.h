#pragma once
// The work every candidate serves: GET /devices/{id} answers one of 10,000 pre-encoded JSON
// documents of about 400 bytes (what the API's GET of a device does), 404 for any other id.
#include <QByteArray>
#include <QHash>
#include <cstdio>

inline QHash<QByteArray, QByteArray> deviceDocuments()
{
    QHash<QByteArray, QByteArray> out;
    for (int i = 0; i < 10000; ++i) {
        const QByteArray id = "device-" + QByteArray::number(i);
        QByteArray json = "{\"id\":\"" + id + "\",\"type\":\"box_furnace\",\"status\":\"busy\","
                          "\"current_task\":" + QByteArray::number(1000000 + i) +
                          ",\"tasks_completed\":" + QByteArray::number(i * 7) +
                          ",\"updated_us\":1796476422138415,\"message\":\"";
        json += QByteArray(400 - json.size() - 2, 'x') + "\"}";
        out.insert(id, json);
    }
    return out;
}
