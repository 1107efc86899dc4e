# Writes a section-1 man page from a program's --help, gzipped, and installs it
# (run by the install rules of cmake/Packaging.cmake, at install time, so the
# page always lists the flags of the binary being installed).
#   MAN_PROGRAM  the built binary        MAN_NAME     its installed name
#   MAN_SUMMARY  the NAME line's text    MAN_VERSION  the version
#   MAN_SYNOPSIS what follows the name in SYNOPSIS
#   MAN_DOC      its docs folder, relative to the prefix (named under SEE ALSO)
#   MAN_DIR      the man folder, relative to the prefix
#   MAN_WORK     a scratch folder of the build tree
execute_process(COMMAND "${MAN_PROGRAM}" --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${MAN_PROGRAM} --help exited with ${rc}")
endif()
# Roff: a backslash is \e, a minus is \-, a line must not start with . or '.
string(REPLACE "\\" "\\e" help "${help}")
string(REPLACE "-" "\\-" help "${help}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
string(TOUPPER "${MAN_NAME}" title)
string(REPLACE "-" "\\-" name "${MAN_NAME}")
string(REPLACE "-" "\\-" synopsis "${MAN_SYNOPSIS}")
file(WRITE "${MAN_WORK}/${MAN_NAME}.1"
     ".TH ${title} 1 \"\" \"${MAN_NAME} ${MAN_VERSION}\" \"User Commands\"\n"
     ".SH NAME\n${name} \\- ${MAN_SUMMARY}\n"
     ".SH SYNOPSIS\n.B ${name}\n${synopsis}\n"
     ".SH DESCRIPTION\nThe text of \\fB${name} \\-\\-help\\fR:\n.PP\n.nf\n${help}\n.fi\n"
     ".SH SEE ALSO\n${MAN_DOC}/README.md under the installation prefix\n"
     "(/usr/${MAN_DOC}/README.md when installed from the Debian package)\n")
file(ARCHIVE_CREATE OUTPUT "${MAN_WORK}/${MAN_NAME}.1.gz" PATHS "${MAN_WORK}/${MAN_NAME}.1"
     FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/${MAN_DIR}/man1" TYPE FILE
     FILES "${MAN_WORK}/${MAN_NAME}.1.gz")
