"""Under ``mkdocs serve``, an edit is noticed as soon as it is saved.

MkDocs 1.6 watches files with watchdog's polling observer, which looks every
half second: on average a quarter of a second, and up to half a second, of
every edit-to-reload, with a rebuild of about a second. This hook hands the
same paths to watchdog's native observer for the platform (inotify on Linux,
FSEvents on macOS, ReadDirectoryChangesW on Windows, polling elsewhere), which
reports an edit when the file system does. It runs before the server starts
its observer; ``mkdocs build`` never calls it.
"""

from __future__ import annotations

from watchdog.events import FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent
from watchdog.observers import Observer

# What the polling observer reports, and a file closed after writing. Not a file opened or
# closed after reading: the build reads every page, and each read would start a rebuild.
EDITS = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent]


class EditObserver(Observer):
    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or EDITS,
                                follow_symlink=follow_symlink)


def on_serve(server, config, builder):
    # LiveReloadServer counts how often each path was watched, and watch() schedules a path
    # on whichever observer server.observer is. (_watched_paths is MkDocs 1.6's own:
    # tests/site/test_serve_watch.py fails if an upgrade changes it.)
    watched = dict(server._watched_paths)
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = EditObserver()
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)
    return server
