# A thin wrapper over CMake so that `make`, `make install` and `make test`
# do what people expect. PREFIX and DESTDIR are honoured.
PREFIX ?= /usr/local
BUILD ?= build
CMAKE_FLAGS ?=

all:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $$(nproc)

install: all
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

test: all
	cd $(BUILD) && ctest --output-on-failure

clean:
	rm -rf $(BUILD)

.PHONY: all install test clean
