#include "core/domain/logging.h"

Q_LOGGING_CATEGORY(lcApp, "alabos.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "alabos.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBus, "alabos.bus", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEngine, "alabos.engine", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDrivers, "alabos.drivers", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "alabos.ui", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApi, "alabos.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLabels, "alabos.labels", QtInfoMsg)
