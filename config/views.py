from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dashboards.workbench import workbench


@login_required
def home(request):
    """Each role's workbench (what waits today), then links to every page of the role."""
    return render(request, "home.html", {"bench": workbench(user=request.user)})
