"""The presenter: a full-screen walk through a track, for a room and its presenter.

``audience_view.AudienceView`` draws the current node for the room,
``console_view.ConsoleView`` is the presenter's console (notes, timer, what
comes next) and ``presenter.PresenterWindow`` handles the keys a clicker
sends and moves a :class:`planning.sharing.walk.Walk`.
"""
