"""Connections changed (accepted, removed, ended by a block or an account deletion): once the
transaction commits, note the change and queue a rebuild of the connection graph — once per
transaction, however many rows it touched (an account deletion removes all its connections)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from intros.models import Block, Connection, ConnectionRequest


def _new_hook():
    def hook() -> None:
        from intros.graph import graph_changed

        connection = transaction.get_connection()
        if (getattr(connection, "_intro_graph_hook", None) or (None, None))[1] is hook:
            connection._intro_graph_hook = None  # done: the next change schedules its own
        graph_changed()

    return hook


def _changed(**kwargs) -> None:
    connection = transaction.get_connection()
    hooks = getattr(connection, "run_on_commit", None)
    mark = getattr(connection, "_intro_graph_hook", None)
    if hooks is not None and mark is not None:
        index, hook = mark
        if index < len(hooks) and hooks[index][1] is hook:
            return  # this transaction's commit already brings it (a rollback would have removed it)
    hook = _new_hook()
    transaction.on_commit(hook)
    if connection.in_atomic_block and hooks is not None:
        connection._intro_graph_hook = (len(connection.run_on_commit) - 1, hook)


for _model in (Connection, Block):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"intros-graph-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"intros-graph-delete-{_model.__name__}")


def _relations_moved(sender, instance, **kwargs) -> None:
    """Who the two are to each other changed (a connection, a request, a block): their profile pages
    read it under both members' relations versions."""
    from people.services import relations_changed

    if sender is Connection:
        relations_changed(instance.user_low_id, instance.user_high_id)
    elif sender is ConnectionRequest:
        relations_changed(instance.sender_id, instance.recipient_id)
    else:
        relations_changed(instance.blocker_id, instance.blocked_id)


for _model in (Connection, ConnectionRequest, Block):
    post_save.connect(_relations_moved, sender=_model, dispatch_uid=f"intros-relations-save-{_model.__name__}")
    post_delete.connect(_relations_moved, sender=_model, dispatch_uid=f"intros-relations-delete-{_model.__name__}")
