# `cmake --install` layout and the CPack .deb: the binary, shipped playbooks, man page, bash and
# zsh completion, docs. Debian dependencies come from dpkg-shlibdeps on the binary.
include(GNUInstallDirs)

install(TARGETS shardctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/playbooks/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/shardctl/playbooks FILES_MATCHING PATTERN "*.json")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/inventory/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/shardctl/inventory FILES_MATCHING PATTERN "*.json")
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/shardctl.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/tools/completion/shardctl.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME shardctl)
install(FILES ${PROJECT_SOURCE_DIR}/tools/completion/_shardctl
  DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/inventory.md
  ${PROJECT_SOURCE_DIR}/docs/playbooks.md ${PROJECT_SOURCE_DIR}/docs/operations.md
  ${PROJECT_SOURCE_DIR}/docs/watch.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
# `shardctl watch` under systemd, one instance per network (docs/watch.md, "systemd").
install(FILES ${PROJECT_SOURCE_DIR}/tools/systemd/shardctl-watch@.service
  DESTINATION lib/systemd/system)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME shardctl)
set(CPACK_PACKAGE_VENDOR "shardctl")
set(CPACK_PACKAGE_CONTACT "shardctl maintainers <shardctl@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "restart a sharded validator network over SSH in coordinated, quorum-safe waves")
set(CPACK_PACKAGE_DESCRIPTION
  "shardctl probes, stops, verifies and restarts the validators of a sharded network over SSH \
(libssh, ssh_config and bastions honoured) and proves each shard is back in consensus.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")
set(CPACK_STRIP_FILES ON)
include(CPack)
