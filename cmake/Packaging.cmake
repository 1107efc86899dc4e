# Install rules and the Debian packages (README.md, its first section).
#
#   cmake --install build --prefix P     P/bin/{ddb-server,cruddur}, the bin/ wrapper
#                                        scripts in P/share/cruddur/bin, man pages, docs
#   make deb                             build/packages/ddb-server_<version>_<arch>.deb
#                                        and cruddur_<version>_<arch>.deb (CPack)
#
# Two components, one package each: `ddb-server` (the server, its man page and
# docs) and `cruddur` (the app binary, the seed's wrapper scripts, man page,
# docs). Debian's dpkg-shlibdeps computes each package's Depends.
include(GNUInstallDirs)

set(CRUDDUR_PACKAGE_MAINTAINER "Cruddur maintainers <maintainers@cruddur.invalid>"
    CACHE STRING "The Maintainer field of the Debian packages")

# cruddur_install_program(<target> <component> <man summary> <man synopsis>)
function(cruddur_install_program target component summary synopsis)
  set(doc ${CMAKE_INSTALL_DATAROOTDIR}/doc/${component})
  install(TARGETS ${target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ${component})
  install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/LICENSE DESTINATION ${doc}
          COMPONENT ${component})
  install(FILES ${CMAKE_SOURCE_DIR}/cmake/debian-copyright DESTINATION ${doc} RENAME copyright
          COMPONENT ${component})
  # The man page is --help's text, written at install time by the binary itself.
  install(CODE "
    set(MAN_PROGRAM \"$<TARGET_FILE:${target}>\")
    set(MAN_NAME \"${target}\")
    set(MAN_SUMMARY \"${summary}\")
    set(MAN_SYNOPSIS \"${synopsis}\")
    set(MAN_VERSION \"${PROJECT_VERSION}\")
    set(MAN_DOC \"${doc}\")
    set(MAN_DIR \"${CMAKE_INSTALL_MANDIR}\")
    set(MAN_WORK \"${CMAKE_BINARY_DIR}/man\")
    include(\"${CMAKE_SOURCE_DIR}/cmake/ManPage.cmake\")"
    COMPONENT ${component})
endfunction()

if(TARGET ddb-server)
  cruddur_install_program(ddb-server ddb-server "a DynamoDB-compatible database server"
                          "[OPTIONS]")
endif()
cruddur_install_program(cruddur cruddur "the Cruddur app: local stack and the seed's tools"
                        "[OPTIONS] SUBCOMMAND ...")
# The seed's wrapper scripts (bin/ddb/seed, ...) keep their layout; installed,
# bin/ddb/_exec runs <prefix>/bin/cruddur.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/bin/ DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/cruddur/bin
        USE_SOURCE_PERMISSIONS COMPONENT cruddur)

# ---- CPack: `make deb` -------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cruddur)
set(CPACK_PACKAGE_VENDOR "Cruddur")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${CRUDDUR_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ddb-server cruddur)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_DDB-SERVER_PACKAGE_NAME ddb-server)
set(CPACK_DEBIAN_DDB-SERVER_PACKAGE_SECTION database)
set(CPACK_COMPONENT_DDB-SERVER_DESCRIPTION
    "DynamoDB-compatible database server
A local DynamoDB: boto3, the AWS CLI and the AWS SDKs talk to it as they talk
to DynamoDB (the JSON protocol over HTTP). A drop-in for DynamoDB Local without
Java: tables, items, Query and Scan, secondary indexes, batches, transactions,
streams, TTL, backups; data in an embedded RocksDB database, every acknowledged
write synced to disk. Listens on 127.0.0.1:8000 by default, with its data under
./data/ddb of the directory it is started from (--db-path, --in-memory).")

set(CPACK_DEBIAN_CRUDDUR_PACKAGE_NAME cruddur)
set(CPACK_DEBIAN_CRUDDUR_PACKAGE_SECTION web)
set(CPACK_COMPONENT_CRUDDUR_DESCRIPTION
    "Cruddur messaging app: local stack and tools
The `cruddur` binary: `cruddur serve` runs the DynamoDB-compatible engine, a
local Cognito user pool and the Cruddur API in one process; its subcommands
are the seed's tools (ddb, db, cognito), also installed as the seed's wrapper
scripts under /usr/share/cruddur/bin. The web app is not included.")

include(CPack)
