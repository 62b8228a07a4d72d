from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """One page per role: links to what that role does (templates/home.html)."""
    return render(request, "home.html")
