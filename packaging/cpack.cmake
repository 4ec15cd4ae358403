# The Debian package (./scripts/package runs cpack in the build directory): alabos_VERSION_amd64.deb.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME alabos)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The alabos developers")
# No mail address has been chosen yet; .invalid says so (RFC 2606) and keeps lintian content.
set(ALABOS_PACKAGE_MAINTAINER "The alabos developers <maintainers@alabos.invalid>"
    CACHE STRING "The Maintainer of the Debian package")
set(CPACK_PACKAGE_CONTACT "${ALABOS_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "laboratory automation console and lab server")
# The synopsis is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "alabos schedules the tasks of a laboratory's workflows onto its instruments
(furnaces, robot arms, balances, diffractometers, liquid handlers), talks to
them through Modbus, SCPI and process drivers (any program, usually Python),
keeps the lab's state in PostgreSQL and streams it through Kafka to live
dashboards in its Qt console.
.
With nothing configured it starts its own PostgreSQL cluster and
Kafka-protocol broker, so one workstation runs a whole lab by itself. The
alabos.service unit runs a headless lab server as the alabos system user; it
is not enabled on installation.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Libraries the programs link (Qt, libpqxx, librdkafka, libsodium...) come from dpkg-shlibdeps;
# what alabos runs as programs is named here: the embedded database's initdb and pg_ctl, the
# user management of postinst, and python3 for the example driver programs. The window's X11
# platform plugin comes with libqt6gui6; Wayland's, Qt's own German strings and kcat (to read
# the topics) are recommended.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "postgresql-15 | postgresql (>= 15), adduser, python3")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, qt6-translations-l10n, kcat")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_CURRENT_LIST_DIR}/debian/postinst
  ${CMAKE_CURRENT_LIST_DIR}/debian/prerm
  ${CMAKE_CURRENT_LIST_DIR}/debian/postrm
  ${CMAKE_CURRENT_LIST_DIR}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Only the programs and packaging/ install anything: the static libraries, tests and
# benchmarks do not. ./scripts/package puts the .deb in build/package (cpack -B).
include(CPack)
