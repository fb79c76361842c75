# Compiler flags shared by every target: warnings, hardening, sanitizers, ccache.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
                    -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)

# Warnings are errors in Debug and whenever CI asks for it.
if(TANDEM_WERROR OR CMAKE_BUILD_TYPE STREQUAL "Debug")
    add_compile_options(-Werror)
endif()

# No silent lossy conversions to 8-bit or URLs; asserts on in Debug.
add_compile_definitions(QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING QT_NO_FOREACH)
add_compile_definitions($<$<CONFIG:Debug>:QT_FORCE_ASSERTS> $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
if(NOT CMAKE_BUILD_TYPE STREQUAL "Debug" AND NOT TANDEM_SANITIZE)
    add_compile_definitions(_FORTIFY_SOURCE=2)
endif()
add_compile_options(-fstack-protector-strong)

if(TANDEM_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
