# La interfaz de Kindred en español. Cada clave está también en en/main.ftl (una prueba lo comprueba).
# Los valores no llevan espacios al principio ni al final: Fluent los quita.

## Marco: cabecera, navegación, pie
skip-to-content = Saltar al contenido
nav-main = Principal
nav-insights = Análisis
nav-sign-out = Cerrar sesión
nav-communities = Comunidades
nav-search = Buscar
nav-new-thread = Nuevo tema
nav-notifications = Notificaciones
nav-messages = Mensajes
nav-moderation = Moderación
nav-admin = Administración
nav-your-profile = Tu perfil
nav-sign-in = Iniciar sesión
nav-join = Únete a Kindred
footer-disclaimer = Kindred es una comunidad de apoyo entre pares. No sustituye los consejos de tu equipo médico. En una emergencia, llama al número de emergencias de tu zona.
footer-language = Idioma
footer-language-change = Cambiar

## Recuentos
count-unread = { $count ->
    [one] { $count } sin leer
   *[other] { $count } sin leer
}
count-open-items = { $count ->
    [one] { $count } elemento pendiente
   *[other] { $count } elementos pendientes
}
count-members = { $count ->
    [one] { $count } miembro
   *[other] { $count } miembros
}
count-posts = { $count ->
    [one] { $count } mensaje
   *[other] { $count } mensajes
}
count-new = { $count ->
    [one] { $count } nuevo
   *[other] { $count } nuevos
}

## Piezas compartidas
field-optional = (opcional)
form-check = Revisa el formulario, por favor.
former-member = un antiguo miembro
badge-admin = Administración
badge-moderator = Moderación
kind-condition = Comunidad por diagnóstico
kind-caregiver = Para cuidadores
kind-general = General
community-private = Privada
community-needs-approval = para unirse hace falta aprobación
threads-none = Todavía no hay temas.
thread-pinned = Fijado
thread-locked = Cerrado
thread-by = por
thread-in = en
thread-last-post = último mensaje
since-last-visit = desde tu última visita
start-thread = Abrir un tema
search-button = Buscar

## Mensajes
post-edited = editado
post-position = Mensaje { $at } de { $of }
post-held = Pendiente de revisión.
post-held-own = Por ahora solo tú y el equipo de moderación podéis ver este mensaje.
post-held-other = Por ahora solo su autor y el equipo de moderación pueden ver este mensaje.
post-why = Motivo:
post-held-what-to-do = Qué puedes hacer: lee el motivo de arriba y, si corresponde, cambia el texto (por ejemplo, quita enlaces, datos de contacto o nombres de productos). En cualquier caso, una persona del equipo de moderación lo revisará pronto.
post-removed = Retirado por el equipo de moderación.
post-deleted = Este mensaje se borró.
post-blocked-show = Bloqueaste a este miembro: mostrar
post-save = Guardar para después
post-saved-link = Tus mensajes guardados
post-support = Apoya este mensaje
post-edit = Editar tu mensaje
post-edit-label = Tu mensaje
post-edit-save = Guardar cambios
post-report = Denunciar este mensaje
post-report-label = ¿Qué problema tiene?
post-report-send = Enviar la denuncia al equipo de moderación

## Inicio
home-title = Inicio
home-search-label = Buscar en Kindred
home-search-find = Busca comunidades y mensajes
home-search-placeholder = Por ejemplo: mi marido tiene un glioblastoma
home-welcome-back = Hola de nuevo, { $name }
home-open-queue = Abrir la cola de moderación
home-pending = Tu solicitud para unirte espera la aprobación del equipo de moderación:
home-new-for-you = Novedades para ti
home-all-notifications = Todas las notificaciones
home-your-communities = Tus comunidades
home-none-joined = Todavía no te has unido a ninguna comunidad.
home-find-one = Encuentra una que encaje contigo
home-recent-threads = Temas recientes
home-suggested = Comunidades que te pueden ayudar
home-suggested-matched = Elegidas según el papel y los diagnósticos de
home-suggested-profile = tu perfil
home-intro-title = No estás solo en esto
home-intro-lead = Kindred es un lugar donde las personas con cáncer, y quienes las cuidan, hablan con otras que las entienden. Cada comunidad está atendida por un equipo de moderación, y tú eliges qué pueden ver los demás sobre ti.
home-filter-directory = Filtrar el directorio

## Directorio de comunidades
dir-filter-label = Filtrar comunidades
dir-kind = Tipo
dir-all-kinds = Todos los tipos
dir-kind-condition = Comunidades por diagnóstico
dir-condition = Diagnóstico
dir-all-conditions = Todos los diagnósticos
dir-language = Idioma
dir-all-languages = Todos los idiomas
dir-filter = Filtrar
dir-none-match = Ninguna comunidad cumple estos filtros.
dir-show-all = Ver todas

## Página de una comunidad
community-or = o
community-join-kindred = únete a Kindred
community-to-take-part = para participar.
community-leave = Salir de la comunidad
community-pending = Tu solicitud para unirte espera al equipo de moderación.
community-banned = No puedes participar en esta comunidad.
community-ask-to-join = Pedir unirse
community-join = Unirse a la comunidad
community-mod-queue = Cola de moderación
community-members-bans = Miembros y expulsiones
community-modlog = Registro de moderación
community-threads = Temas
community-members-only = Esta es una comunidad privada: solo sus miembros pueden leer sus temas. Pide unirte y alguien de su equipo de moderación decidirá.
community-older-threads = Temas anteriores
community-rules = Normas de la comunidad
community-no-rules = Todavía no hay normas escritas.

## Página de un tema
thread-breadcrumb = Ruta de navegación
thread-started-by = Abierto por
thread-jump-unread = Ir al primer mensaje sin leer
thread-pages = Páginas de este tema
thread-range = Mensajes { $first }–{ $last } de { $total }
thread-earlier = Mensajes anteriores
thread-later = Mensajes posteriores
thread-locked-note = Este tema está cerrado: no admite respuestas.
thread-locked-moderator = Como moderador, todavía puedes responder.
thread-reply = Responder
thread-your-reply = Tu respuesta
thread-reply-hint = Puedes usar Markdown: *cursiva*, **negrita**, listas y enlaces.
thread-post-reply = Publicar respuesta
thread-to-reply = para responder.
thread-join = Únete a
thread-reply-to-this = Responder a esto
thread-post-by = mensaje de
thread-pin = Fijar el tema
thread-unpin = Dejar de fijar el tema
thread-lock = Cerrar: no admitir respuestas
thread-unlock = Abrir: admitir respuestas
thread-mod-tools = Herramientas de moderación
remove-post = Retirar este mensaje
remove-post-moderator = (moderación)
remove-post-reason = Motivo (lo ve el autor y queda en el registro de moderación)
remove-post-button = Retirar el mensaje

## Nuevo tema
new-thread-join-first = Primero únete a una comunidad:
new-thread-browse = ver las comunidades
new-thread-community = Comunidad
new-thread-title = Título
new-thread-title-hint = Un resumen breve que los demás verán en la lista.
new-thread-message = Tu mensaje
new-thread-message-hint = Puedes usar Markdown. Por favor, no compartas datos de contacto de nadie.
new-thread-submit = Abrir el tema

## Inicio de sesión y registro
field-username = Nombre de usuario
field-password = Contraseña
field-display-name = Nombre visible
field-email = Correo electrónico
login-forgot = ¿Olvidaste tu contraseña?
login-new-here = ¿Eres nuevo?
login-create-account = Crea una cuenta
register-lead = Tú eliges qué ven los demás sobre ti. Puedes cambiarlo más tarde en tu perfil.
register-username-hint = De 3 a 32 caracteres: letras, números y guiones bajos. Los demás lo ven.
register-password-hint = Al menos 10 caracteres. Unas cuantas palabras sin relación entre sí funcionan bien.
register-display-name-hint = Aparece junto a tus mensajes. No hace falta que sea tu nombre real.
register-email-hint = Solo para recuperar tu cuenta; nunca se muestra.
register-submit = Crear la cuenta
register-already = ¿Ya eres miembro?

## Páginas de error
error-page-404-title = Página no encontrada
error-page-404-lead = No encontramos esa página. Puede que se haya movido o que esté en una comunidad privada.
error-page-403-title = No permitido
error-page-403-lead = No tienes acceso a esto.
error-page-401-title = Inicia sesión, por favor
error-page-401-lead = Tienes que iniciar sesión para ver esto.
error-page-429-title = Espera un momento, por favor
error-page-429-lead = Ha habido demasiados intentos.
error-page-4xx-title = Algo no está bien
error-page-4xx-lead = No se ha podido usar la solicitud.
error-page-5xx-title = Algo ha fallado
error-page-5xx-lead = Es culpa nuestra, no tuya. Vuelve a intentarlo dentro de un rato.
error-page-home = Ir a la página de inicio
error-page-browse = Ver las comunidades

## Fechas
time-just-now = ahora mismo
time-minutes-ago = { $count ->
    [one] hace { $count } minuto
   *[other] hace { $count } minutos
}
time-hours-ago = { $count ->
    [one] hace { $count } hora
   *[other] hace { $count } horas
}
time-days-ago = { $count ->
    [one] hace { $count } día
   *[other] hace { $count } días
}

## Errores de la API (`error.message` según `code`)
error-unauthenticated = primero inicia sesión
error-invalid-credentials = el nombre de usuario o la contraseña no son correctos
error-invalid-token = la sesión ha caducado o no es válida; vuelve a iniciar sesión
error-not-found = no encontrado
error-conflict = eso choca con algo que ya existe
error-post-not-published = el mensaje no está publicado
error-rejected = el contenido fue rechazado
error-idempotency-key-reused = esta Idempotency-Key ya se usó para otra solicitud
error-payload-too-large = el cuerpo de la solicitud es demasiado grande
error-method-not-allowed = este método no está permitido aquí
error-unsupported-media-type = envía JSON (Content-Type: application/json)
error-rate-limited = demasiados intentos; vuelve a intentarlo más tarde
error-unavailable = el servicio está ocupado; vuelve a intentarlo en un momento
error-storage-full = el servidor se ha quedado sin espacio; vuelve a intentarlo más tarde
error-internal = algo ha fallado por nuestra parte
error-csrf-failed = este formulario ha caducado; recarga la página y vuelve a intentarlo
error-forbidden = no tienes permiso para hacer esto
error-invalid-json = el cuerpo de la solicitud no es un JSON válido para esta ruta
error-invalid-query = los parámetros de la consulta no son válidos
error-invalid-form = no se ha podido leer el formulario
error-invalid-field = el campo «{ $field }» no es válido
error-status-400 = no se ha podido usar la solicitud
error-status-403 = no tienes permiso para hacer esto
error-status-409 = eso choca con el estado actual
error-status-4xx = no se ha podido usar la solicitud
error-status-5xx = algo ha fallado por nuestra parte

notifications-surveys-heading = Encuestas para ti
notifications-survey-new = Nueva
notifications-survey-invite = { $community } te invita a una encuesta de investigación:
notifications-survey-closes = Abierta hasta
survey-draft-audience = A quién se invita
survey-draft-audience-hint = Se invita a todos los miembros de la comunidad que aceptaron participar en investigación, salvo que aquí lo limites a un rol o a una condición de su perfil (una etiqueta de condición como lung-cancer).
survey-draft-audience-role = Rol
survey-draft-audience-any-role = Cualquier rol
survey-draft-audience-condition = Etiqueta de condición (opcional)
survey-audience-patient = Pacientes
survey-audience-caregiver = Cuidadores
survey-audience-bereaved = Miembros en duelo
survey-audience-supporter = Personas de apoyo
survey-audience-clinician = Profesionales clínicos
## errors: la nota a quien escribió un mensaje retenido o rechazado (`plain_words::author_note`), en el idioma del mensaje
held-detail-phone = un número de teléfono
held-detail-email = una dirección de correo electrónico
held-detail-ssn = un número de la seguridad social
held-detail-record-number = un número de historia clínica, de seguro o de cuenta
held-detail-birth-date = una fecha de nacimiento
held-detail-address = una dirección postal
held-detail-full-name = el nombre completo de alguien
held-detail-code = un código de descuento
held-detail-referral-link = un enlace de afiliado
held-detail-contact-app = una invitación a hablar por una aplicación de mensajería
held-detail-fundraising-link = un enlace para recaudar fondos
held-detail-shop-link = un enlace a una tienda
held-detail-link = un enlace a un sitio externo
held-detail-sales-wording = palabras de venta
held-quoted = («{ $text }»)
held-personal-detail = Tu mensaje incluye { $what }{ $quoted }. Quítalo, por favor, para protegerte.
held-personal-general = Parece que tu mensaje incluye datos personales. Quítalos, por favor, para protegerte.
held-promotion-found = Tu mensaje incluye { $found }.
held-promotion-rule = En Kindred no se permite hacer publicidad ni vender: quita, por favor, los enlaces a tiendas, los precios, los códigos de descuento y las invitaciones a escribirte.
held-misinformation = Parece que tu mensaje presenta como un hecho una afirmación de salud que va en contra de la evidencia médica. Si preguntas por ella o cuentas lo que alguien te dijo, dilo, por favor.
held-needs-look = Tu mensaje necesita que alguien del equipo de moderación lo revise antes de que otras personas puedan leerlo.
held-review-time = Una persona del equipo de moderación lo revisará, normalmente en menos de un día.

## mail (`kindred_web::mail`, en el idioma de quien lo recibe)
mail-footer = Kindred: comunidades moderadas para personas que viven con problemas de salud.
mail-hello = Hola, { $name }:
mail-not-you = Si no has sido tú,
mail-reset-now = restablece tu contraseña ahora
mail-reset-subject = Restablece tu contraseña de Kindred
mail-reset-asked = Alguien (esperamos que tú) ha pedido restablecer la contraseña de tu cuenta de Kindred.
mail-reset-open = Para elegir una contraseña nueva, abre este enlace en los próximos { $minutes } minutos:
mail-reset-link = Elegir una contraseña nueva
mail-reset-once = El enlace solo funciona una vez. Al elegir una contraseña nueva se cierran tus sesiones en todos los demás dispositivos.
mail-reset-ignore = Si no lo has pedido tú, ignora este correo: tu contraseña no cambia.
mail-changed-subject = Se ha cambiado tu contraseña de Kindred
mail-changed-body = Se acaba de cambiar la contraseña de tu cuenta de Kindred y se han cerrado todas las demás sesiones.
mail-confirm-subject-account = Confirma tu dirección de correo para Kindred
mail-confirm-subject-address = Confirma tu nueva dirección de correo para Kindred
mail-confirm-welcome = Te damos la bienvenida a Kindred. Confirma que esta es tu dirección para empezar a publicar y a unirte a comunidades.
mail-confirm-asked = Alguien (esperamos que tú) ha pedido usar esta dirección para una cuenta de Kindred.
mail-confirm-open = Para confirmarla, abre este enlace en las próximas { $hours } horas:
mail-confirm-link = Confirmar esta dirección
mail-confirm-once = El enlace solo funciona una vez. Si no lo has pedido tú, ignora este correo: no cambia nada.
mail-change-subject = Se ha indicado una nueva dirección de correo para tu cuenta de Kindred
mail-change-asked = Alguien con la sesión iniciada en tu cuenta de Kindred ha pedido pasarla a una nueva dirección de correo.
mail-change-nothing = No cambia nada a menos que se abra el enlace enviado a esa dirección.
mail-kind-reply = { $count ->
    [one] una respuesta nueva
   *[other] { $count } respuestas nuevas
}
mail-kind-mentions = { $count ->
    [one] una mención nueva
   *[other] { $count } menciones nuevas
}
mail-kind-watched = { $count ->
    [one] un mensaje nuevo en un tema que sigues
   *[other] { $count } mensajes nuevos en temas que sigues
}
mail-kind-outcome = { $count ->
    [one] una decisión del equipo de moderación sobre tu mensaje
   *[other] { $count } decisiones del equipo de moderación sobre tus mensajes
}
mail-kind-other = { $count ->
    [one] una notificación nueva
   *[other] { $count } notificaciones nuevas
}
mail-notifications-subject = Tienes { $what } en Kindred
mail-in-place = en { $community } / { $thread }
mail-choose = Elige qué correos recibes
mail-stop = Deja de recibir este tipo de correo
mail-alert-subject = Urgente: alguien en { $community } puede estar en riesgo
mail-alert-body = Un mensaje nuevo en { $community } hace pensar que quien lo escribió puede correr un riesgo alto de hacerse daño. Míralo, por favor, y ponte en contacto lo antes posible:
mail-alert-link = Abrir la cola de bienestar
mail-alert-stays = El mensaje sigue publicado. La cola de bienestar muestra las frases que dieron la alerta, una breve guía de los niveles de riesgo y un mensaje que puedes enviar.
mail-pm-subject = { $count ->
    [one] Tienes un mensaje privado nuevo en Kindred
   *[other] Tienes { $count } mensajes privados nuevos en Kindred
}
mail-pm-from = de { $names }
mail-pm-read = Léelo y responde
mail-pm-read-link = Léelo y responde en Kindred
## page: settings (/me) and profile (/u/…)
settings-title = Tu perfil
settings-saved = Tu perfil está guardado.
settings-signed-in-as = Has iniciado sesión como
settings-site-admin = administración del sitio
settings-member = miembro
member-since = miembro desde
settings-see-public = Ver tu perfil como lo ven los demás
settings-email = Correo electrónico (nunca se muestra):
settings-change-password = Cambiar tu contraseña
settings-email-address = Tu dirección de correo electrónico
settings-privacy = Privacidad, tus datos y borrar tu cuenta
settings-mail = Correo de notificaciones
settings-country = Tu país
settings-about-you = Sobre ti
settings-your-role = Tu papel
settings-conditions = Diagnósticos
settings-conditions-hint = Separados por comas, por ejemplo: lung-cancer, myeloma
settings-what-others-see = Lo que pueden ver los demás
settings-unticked-private = Los campos sin marcar son privados: solo los ves tú.
settings-show-role = Mostrar mi papel
settings-show-conditions = Mostrar mis diagnósticos
settings-show-bio = Mostrar lo que escribí sobre mí
settings-save = Guardar perfil
settings-none-yet = Ninguna todavía.
standing-pending = esperando a que una persona moderadora te apruebe
standing-banned = no puedes participar aquí
standing-moderator = la moderas
standing-member = miembro
role-prefer-not = Prefiero no decirlo
role-patient = Vivo con cáncer
role-caregiver = Cuido de alguien
role-bereaved = Perdí a alguien
role-supporter = Apoyo a alguien
role-clinician = Soy profesional sanitario
profile-in-memory = En memoria de
profile-role = Papel
profile-about = Sobre mí
profile-private = Este miembro mantiene su perfil privado.
back-to-profile = Volver a tu perfil

## page: search
search-label = Buscar en las publicaciones que puedes leer
search-help = Palabras, "frases exactas", -exclusiones, community:slug, author:nombre, after:2026-01-01. Las abreviaturas como CPCNP o quimio también encuentran sus formas largas.
search-fitting = Comunidades que podrían encajar
search-count-about = Unas { $count } publicaciones
search-content-note-hidden = Esta publicación tiene un aviso de contenido: { $notes } — mostrar
search-content-note = Aviso de contenido: { $notes }
search-more-in-thread = { $count ->
    [one] y { $count } publicación más en este tema
   *[other] y { $count } publicaciones más en este tema
}
search-more = Más resultados

## page: notifications
notifications-you = tu_nombre
notifications-none = Nada todavía. Cuando alguien te responda, te mencione con @{ $username } o publique en un tema que sigues, lo verás aquí.
notifications-mark-read = Marcar todo como leído
notifications-new = Nueva
notifications-older = Notificaciones anteriores

## page: saved posts
saved-title = Publicaciones guardadas
saved-none = Aún no has guardado nada. Debajo de cada publicación, «Guardar para después» la guarda aquí para ti; nadie más ve lo que guardas.
saved-by = De
saved-when = guardada

## page: country
country-default = El predeterminado del sitio ({ $name })
country-saved = Guardado.
country-lead = Si una de tus publicaciones hace pensar que estás pasando por un momento muy difícil, te mostramos las líneas de crisis de este país.
country-field = País
country-save = Guardar país

## page: start here
start-title = Empieza aquí
start-lead = Te damos la bienvenida a Kindred. Aquí tienes por dónde empezar.
start-no-profile = Todavía no nos has dicho tu papel ni tus diagnósticos. Añádelos a
start-no-profile-after = (tú eliges quién los ve), o cuéntanoslo abajo.
start-change-profile = Cambiar esto en tu perfil
start-about-label = O cuéntanos con tus palabras qué te trae por aquí
start-find = Buscar comunidades
start-suggested = Comunidades para ti
start-nothing-matched = Todavía no hay coincidencias.
start-browse-all = Ver todas las comunidades
start-see-all = Ver todas las comunidades
start-house-rules = Tres normas de la casa
start-rule-kind = Sé amable.
start-rule-kind-why = Aquí todo el mundo carga con algo pesado; discrepa con delicadeza.
start-rule-experience = Comparte experiencias, no recetas.
start-rule-experience-why = Nada de lo que hay aquí sustituye a tu propio equipo médico.
start-rule-safe = Mantén la seguridad.
start-rule-safe-why = Nada de ventas, ni números de teléfono, direcciones o datos de otras personas.
start-say-hello = Saluda
start-introduce = Preséntate
start-introduce-hint = Cuenta a los demás tanto o tan poco como quieras.

## page: medical-advice nudge (reply and new-thread forms)
advice-edit-or-post = Puedes editar tu texto abajo o publicarlo tal como está.
advice-post-anyway = Publicar de todos modos

## page: removal reasons
reasons-title = Motivos de retirada
reasons-lead-before = La cola ofrece estos motivos cuando retiras una publicación; su botón de un clic
reasons-remove = Retirar
reasons-lead-after = registra el motivo predeterminado. La autora o el autor de la publicación retirada lee el motivo, y el registro público de moderación lo muestra.
reasons-none = Todavía no hay motivos: la retirada de un clic registra un motivo sencillo según lo que encontró la revisión automática.
reasons-default = predeterminado
reasons-make-default = Hacer predeterminado
reasons-add-title = Añadir un motivo
reasons-field = Motivo, tal como lo leerá quien escribió la publicación
reasons-field-default = Hacerlo predeterminado
reasons-add = Añadir motivo
reasons-back-queue = Volver a la cola

## page: password reset and change (/forgot, /reset, /me/password) and privacy (/me/privacy)
forgot-link-works = El enlace funciona durante 30 minutos. ¿No te ha llegado nada? Mira en la carpeta de correo no deseado o vuelve a pedirlo dentro de unos minutos.
forgot-lead = Escribe la dirección de correo de tu cuenta y te enviaremos un enlace para elegir una contraseña nueva.
forgot-send = Envíame un enlace
forgot-back-sign-in = Volver a iniciar sesión
reset-title = Elige una contraseña nueva
password-new = Contraseña nueva
password-current = Contraseña actual
reset-save = Guardar e iniciar sesión
reset-signs-out = Al guardar se cierra tu sesión en todos los demás dispositivos.
reset-invalid = Este enlace no es válido, ya se usó o ha caducado. Los enlaces funcionan una sola vez, durante 30 minutos, y dejan de funcionar cuando cambia la contraseña.
ask-new-link = Pedir un enlace nuevo
password-changed = Tu contraseña ha cambiado. Se cerró la sesión en todos los demás dispositivos.
password-change = Cambiar contraseña
password-forgot-current = ¿Olvidaste la actual?
password-reset-by-email = Restablécela por correo electrónico
choices-saved = Tus preferencias están guardadas.
save-choices = Guardar preferencias
privacy-title = Privacidad y tus datos
privacy-your-choices = Tus preferencias
privacy-audience = Quién ve los campos del perfil que compartes
privacy-audience-members = Cualquier miembro con la sesión iniciada
privacy-audience-communities = Los miembros de una comunidad a la que pertenezco
privacy-audience-nobody = Nadie
privacy-discoverable = Los miembros con el mismo diagnóstico pueden encontrarme
privacy-insights = Mis publicaciones pueden contar para análisis anonimizados (sin nombres; los grupos pequeños no se muestran)
privacy-history = Todas las decisiones que has tomado
privacy-export-title = Descarga tus datos
privacy-export-lead = Todo lo que Kindred guarda sobre ti, en un solo archivo JSON (tres descargas por hora).
privacy-export = Descargar mis datos
privacy-erase-title = Borra tu cuenta
privacy-erase-lead = Esto no se puede deshacer. Se borran tu perfil, tus mensajes y tus preferencias; tú eliges qué pasa con tus publicaciones.
privacy-your-posts = Tus publicaciones
privacy-posts-anonymize = Conservarlas, mostradas como de un antiguo miembro
privacy-posts-delete = Borrarlas
privacy-password-confirm = Tu contraseña, para confirmar
privacy-erase = Borrar mi cuenta

## page: e-mail address (/me/email, /email/confirm)
email-yours-is = Tu dirección es
email-none = No has dado ninguna dirección. Con una, podrás volver a entrar si olvidas tu contraseña.
email-confirm-needed = Confirma tu dirección para publicar y unirte a comunidades: abre el enlace que te enviamos.
email-resend = Envíame un enlace nuevo
email-change-title = Cambia tu dirección
email-change-lead = Enviamos un enlace a la dirección nueva; sustituye a la actual cuando abres el enlace. A tu dirección actual le avisamos del cambio.
email-new = Dirección nueva
email-send = Enviar el enlace
email-confirm-title = Confirma tu dirección de correo electrónico
email-confirmed = Tu dirección está confirmada.
email-go = Ir a Kindred
email-confirm = Confirmar esta dirección
email-invalid = Este enlace no es válido, ya se usó o ha caducado. Los enlaces funcionan una sola vez, durante 24 horas, y solo sirve el más reciente.

## page: mail preferences (/me/mail, /unsubscribe)
mail-kind-reply-to-thread = Respuestas a mis temas
mail-kind-reply-to-post = Respuestas a mis publicaciones
mail-kind-mention = Menciones de mí
mail-kind-watched-thread = Publicaciones nuevas en temas que sigo
mail-kind-moderation-outcome = Decisiones de moderación sobre mis publicaciones
mail-kind-private-message = Mensajes privados para mí
mail-freq-immediately = En el momento
mail-freq-daily = En un resumen diario
mail-freq-weekly = En un resumen semanal (los lunes)
mail-freq-never = Nunca
mail-when = Cuándo enviarme correo
mail-digests = Resúmenes
mail-digest-hour = Enviar los resúmenes a las (tu hora local)
mail-time-zone = Tu zona horaria
mail-time-zone-hint = Su nombre, como Europe/Madrid, America/Mexico_City o UTC. Se sigue el horario de verano por ti.
mail-privacy = Privacidad
mail-show-content = Mostrar en los correos lo que dicen las publicaciones (comunidad, tema y el comienzo de la publicación). Si está desactivado, el correo solo dice cuántas novedades hay.
unsubscribe-title = Dejar de recibir correo de notificaciones
unsubscribe-invalid = Este enlace para darse de baja no es válido.
unsubscribe-done = Hecho: ya no recibirás { $what }.
unsubscribe-ask = ¿Dejar de recibir este tipo de correo de notificaciones? Puedes volver a activarlo en tu configuración.
unsubscribe = Darse de baja
unsubscribe-choose = Elegir qué correos recibes

## page: messages, blocks and message review (/messages, /me/blocks, /admin/messages)
messages-only-you = solo tú
messages-lead = Conversaciones privadas con hasta otros cuatro miembros que comparten una comunidad contigo. Los mensajes se revisan igual que las publicaciones: algunos esperan a que una persona de administración los apruebe antes de entregarse.
messages-none = Todavía no tienes conversaciones.
messages-with = Con { $names }
messages-unread = { $count ->
    [one] { $count } mensaje sin leer
   *[other] { $count } mensajes sin leer
}
messages-muted = (silenciada)
messages-older = Conversaciones anteriores
messages-start = Empezar una conversación
messages-to = Para
messages-to-hint = Nombres de usuario, separados por comas: hasta cuatro miembros.
messages-message = Mensaje
messages-send = Enviar
messages-conversation-with = Conversación con { $names }
messages-all = Todos los mensajes
messages-held = Retenido para revisión.
messages-report-title = Denunciar este mensaje
messages-report-label = ¿Qué problema tiene? La administración del sitio leerá el mensaje; nadie sabrá quién lo denunció.
messages-report = Denunciar
messages-later = Mensajes posteriores
messages-answer = Responder
messages-mute = Silenciar esta conversación
messages-unmute = Dejar de silenciar esta conversación
blocks-title = Miembros que bloqueas
blocks-lead = Tú y un miembro al que bloqueas no podéis enviaros mensajes, sus publicaciones se te muestran plegadas y no puede enviarte notificaciones. No se le avisa.
blocks-none = No bloqueas a nadie.
blocks-since = desde
blocks-unblock = Desbloquear a
blocks-add-title = Bloquear a un miembro
blocks-block = Bloquear
review-nothing = No hay nada pendiente.
review-title = Mensajes privados por revisar
review-lead = Los mensajes no pertenecen a ninguna comunidad, así que los revisa la administración del sitio. Solo ves estos mensajes, nunca el resto de la conversación.
review-held = Retenidos por la revisión automática
review-reported = Denunciados
review-deliver = Entregar
review-keep = Mantener

## page: content notes (posting forms, /me/content-notes, /c/…/content-notes)
note-end-of-life = final de la vida
note-recurrence = recaída o progresión
note-death-and-loss = muerte y pérdida
note-graphic-medical = detalles médicos explícitos
note-self-harm = suicidio y autolesiones
care3-notification-folded = Esta publicación tiene un aviso de contenido: { $notes }. Ábrela para leerla.
notes-legend = Avisos de contenido (opcional)
notes-hint = Quien lo haya elegido puede ver plegadas las publicaciones con estos avisos hasta que las abra.
notes-suggested = Puede que esta publicación necesite un aviso de contenido: { $notes }.
note-suggestion-ticked = Lo hemos marcado abajo para que lo revises: publica con él, cámbialo o publica sin aviso.
note-post-without = Publicar sin aviso
notes-fold-legend = Plegar las publicaciones con estos avisos
notes-title = Avisos de contenido
notes-member-lead = Quien escribe puede marcar una publicación con un aviso de contenido. Las publicaciones con los avisos que marques se pliegan: verás «Esta publicación tiene un aviso de contenido — mostrar» y las abrirás cuando te sientas con ánimo.
notes-not-chosen = Todavía no has elegido, así que se te aplican los valores predeterminados de cada comunidad.
notes-community-title = Avisos de contenido en { $slug }
notes-defaults-saved = Los valores predeterminados están guardados.
notes-community-lead = Las publicaciones con los avisos marcados aquí se pliegan para los miembros que no han elegido por su cuenta.
notes-save-defaults = Guardar valores predeterminados
notes-back-community = Volver a la comunidad

## page: care (/me/care, crisis lines panel, wellbeing items in the queue)
care-call = llama al
care-text = envía
care-text-to = al
care-chat = chat en línea
care-not-alone = No estás sola ni solo
care-people-in = Personas con las que puedes hablar en { $country }
care-emergency = En una emergencia, llama al
care-checked = Números comprobados por última vez el { $date }.
care-close = Cerrar por ahora
care-title = Gracias por compartirlo
care-published = Tu publicación está publicada.
care-nothing = No hay nada que mostrar aquí ahora mismo.
care-go-to-post = Ir a tu publicación
care-at-risk = Alguien puede estar en riesgo
care-levels = Cómo leer los niveles
care-urgent = Urgente
care-level = Nivel { $level }
care-source-report = denunciado por un miembro
care-source-screening = detectado por la revisión automática
care-what-was-said = Lo que se dijo
care-template = Un mensaje que puedes adaptar
care-reached-out-by = Contactó
care-reached-out = Me he puesto en contacto

## page: context notes, appeals and memorials/clinicians (/admin/members)
duty-context-from = Contexto de: { $label }
duty-edit-note = Editar o quitar esta nota
duty-note = Nota
duty-save-note = Guardar nota
duty-remove-note = Quitar nota
duty-add-context = Añadir contexto
duty-context-note = Nota de contexto
duty-context-hint = Hasta 500 caracteres. Quien lea la verá debajo de la publicación con tu papel. Enlaza tus fuentes.
duty-add-note = Añadir nota
duty-appeal = Recurrir esta decisión
duty-appeal-label = ¿Por qué debería revisarlo otra persona moderadora?
duty-appeal-hint = Puedes recurrir una vez, en un plazo de 30 días. Lo lee una persona moderadora que no tomó la decisión.
duty-send-appeal = Enviar recurso
duty-appeals = Recursos
duty-appeals-verb = recurre:
duty-decided-by = decidido por
duty-appealed = recurrido
duty-thread = tema
duty-reason-given = Motivo indicado:
duty-overturn = Revocar (restaurar y levantar la sanción)
duty-uphold = Mantener
duty-own-decision = Tú tomaste esta decisión, así que el recurso lo decide otra persona moderadora o de administración.
duty-members-title = Miembros: cuentas conmemorativas y profesionales sanitarios
duty-members-page = Cuentas conmemorativas y profesionales sanitarios
duty-memorialise-title = Convertir una cuenta en conmemorativa
duty-memorial-lead = A petición de la familia: el perfil dice «En memoria de», nadie puede iniciar sesión en él, no recibe notificaciones ni correo y sus publicaciones se quedan. Ambos pasos constan en el registro de moderación. Sigue siendo posible borrarla:
duty-action = Acción
duty-memorialise = Convertir en conmemorativa
duty-reverse = Deshacer una cuenta conmemorativa
duty-save = Guardar
duty-clinicians-title = Profesionales sanitarios verificados
duty-clinicians-lead = Un profesional sanitario verificado puede añadir notas de contexto debajo de las publicaciones, con su papel indicado.
duty-role-hint = Tal como lo verán los lectores, p. ej. enfermera de oncología. Déjalo vacío para retirar una verificación.

## page: moderation queue, moderation log, members and bans
queue-title = Cola de moderación
queue-empty = No hay nada esperando una decisión. Gracias.
queue-in = En
queue-why = Por qué está aquí
queue-reports = Denuncias
queue-about-author = Sobre quien lo escribió:
queue-source = Texto original en Markdown
queue-approve = Aprobar
queue-this-post = esta publicación
queue-remove-records = Retirar registra: «{ $reason }»
queue-canned = Retirar con uno de los motivos de esta comunidad
queue-with-reason = con este motivo
queue-own-reason = O decide con tu propio motivo
queue-decision = Decisión
queue-decide-approve = Aprobar: publicar la publicación
queue-decide-remove = Retirar la publicación
queue-decide-dismiss = Descartar: dejarla como está
queue-reason = Motivo (público en el registro de moderación; se muestra a quien escribió una publicación retirada)
queue-note = Nota para el equipo de moderación
queue-sanction = Sanción para quien lo escribió
queue-sanction-none = Ninguna
queue-sanction-warn = Advertir
queue-sanction-suspend = Suspender
queue-sanction-ban = Expulsar de la comunidad
queue-days = Duración de la suspensión en días
queue-record = Registrar decisión
queue-more = Más
modlog-none = Todavía no hay decisiones.
modlog-caption = Decisiones de moderación, las más recientes primero
modlog-when = Cuándo
modlog-reason = Motivo
modlog-details = Detalles
modlog-by = por
modlog-about = sobre
modlog-note = Nota:
modlog-older = Anteriores
members-none = Ninguno.
members-reasons-after = que el equipo de moderación de esta comunidad ofrece en la cola
members-add-label = Añadir o aprobar a un miembro por su nombre de usuario
members-add = Añadir miembro
members-pending = Esperando aprobación
members-active = Miembros
members-banned = Expulsados
members-ban = Expulsar
members-lift-ban = Levantar la expulsión

## page: confirmations after a redirect (server/src/pages) and notification summaries
notice-joined = ¡Te damos la bienvenida! Ya eres miembro.
notice-requested = Tu solicitud para unirte se envió al equipo de moderación.
notice-left = Has salido de esta comunidad.
notice-reported = Gracias. El equipo de moderación revisará la publicación.
notice-posted = Tu publicación está publicada.
notice-edited = Tus cambios están guardados.
notice-held = Tu publicación está esperando la revisión de una persona moderadora.
notice-decided = Decisión registrada.
notice-appealed = Tu recurso se ha enviado. Lo revisará una persona moderadora que no tomó la decisión.
notice-created = Comunidad creada.
notice-appointed = Persona moderadora nombrada.
notice-pinned = El tema está fijado.
notice-unpinned = El tema ya no está fijado.
notice-locked = El tema está cerrado: no se admiten respuestas.
notice-unlocked = El tema vuelve a admitir respuestas.
notice-removed = La publicación se ha retirado y la decisión consta en el registro de moderación.
notice-all-read = Todas las notificaciones están marcadas como leídas.
notification-former-member = Un antiguo miembro
notification-mention = { $who } te mencionó
notification-reply-to-post = { $who } respondió a tu publicación
notification-reply-to-thread = { $who } respondió a tu tema
notification-watched-thread = { $who } publicó
notification-context-note = { $who } añadió contexto a tu publicación
notification-reacted = Algunos miembros reaccionaron a tu publicación
notification-reviewed = Una persona moderadora revisó tu publicación
notice-reached-out = Registrado: te has puesto en contacto. Gracias.
notice-member-added = Miembro añadido.
notice-member-banned = Miembro expulsado.
notice-ban-lifted = Expulsión levantada.
notice-message-reported = Gracias. La administración del sitio leerá el mensaje; nadie sabrá quién lo denunció.
notice-blocked = Bloqueado.
notice-unblocked = Desbloqueado.

## page: research surveys (/surveys, /partner/surveys, /admin/surveys, /admin/partners)
surveys-title = Encuestas de investigación
surveys-none-open = No hay ninguna encuesta abierta para ti. Las encuestas se ofrecen a los miembros que aceptaron participar en investigaciones en su configuración de privacidad.
surveys-banner-for = Una encuesta de investigación para { $community }, abierta hasta el
surveys-banner-privacy = Los investigadores solo ven totales de 11 miembros o más, después del cierre; tu nombre, nunca.
surveys-answered = Ya respondiste. Puedes retirar tus respuestas hasta que la encuesta se cierre.
surveys-withdraw = Retirar mis respuestas
surveys-dismissed = Dijiste que no, gracias. Todavía puedes responder.
surveys-withdrawn = Retiraste tus respuestas. Puedes responder de nuevo.
surveys-answer = Responder
surveys-no-thanks = No, gracias
surveys-free-text-hint = Solo los moderadores de esta comunidad leen esta respuesta; nunca sale de Kindred.
surveys-send-answers = Enviar mis respuestas
surveys-partner-title = Tus encuestas
surveys-partner-none = Todavía no has redactado ninguna encuesta.
surveys-results-link = Resultados
surveys-draft-heading = Redactar una encuesta
surveys-draft-intro = Un administrador lee cada encuesta antes de que la vean los miembros. Las encuestas no llevan publicidad ni promoción.
surveys-community = Comunidad
surveys-draft-title = Título
surveys-draft-opens = Se abre el
surveys-draft-closes = Se cierra el
surveys-question-number = Pregunta { $number }
surveys-optional = (opcional)
surveys-draft-kind = Tipo
surveys-kind-single = Una opción
surveys-kind-multiple = Varias opciones
surveys-kind-scale = Escala del 1 al 5
surveys-draft-question = Pregunta
surveys-draft-options = Opciones, una por línea
surveys-draft-options-hint = De dos a doce; ninguna para una escala.
surveys-draft-free-text = Las preguntas de texto libre, que solo pueden leer los moderadores de la comunidad, se pueden añadir a través de la API.
surveys-send-approval = Enviar para aprobación
surveys-promotional = la revisión encontró promoción
surveys-withheld = retenido:
surveys-results-title = Resultados: { $title }
surveys-results-answered = { $count } miembros respondieron.
surveys-results-csv = Descargar como CSV
surveys-results-answer = Respuesta
surveys-results-members = Miembros
surveys-results-question-total = Respondieron esta pregunta
surveys-results-back = Volver a tus encuestas
surveys-admin-none = No se ha redactado ninguna encuesta.
surveys-admin-open-from = Abierta del
surveys-admin-open-to = al
surveys-admin-reason = Motivo, para el socio
surveys-admin-approve = Aprobar
surveys-admin-reject = Rechazar
partners-title = Socios de investigación
partners-intro = Un socio de investigación ve los datos anonimizados y hace encuestas en las comunidades que se le conceden, y nada más. Conceder convierte una cuenta de miembro en una cuenta de socio y cierra su sesión en todas partes.
partners-none = No hay ninguna comunidad concedida a nadie.
partners-caption = Comunidades concedidas
partners-partner = Socio
partners-since = Desde
partners-revoke = Revocar
partners-revoke-label = Revocar { $community } a { $username }
partners-grant-heading = Conceder una comunidad
partners-account = Cuenta
partners-grant = Conceder

## page: community insights (/insights, /insights/…)
insights-title = Datos de las comunidades
insights-none = Todavía no se te ha abierto ninguna comunidad. Un administrador del sitio concede el acceso comunidad por comunidad.
insights-community-title = Datos: { $community }
insights-method = Estas cifras cuentan, mes a mes, las publicaciones de miembros que aceptaron contar para los datos y que mencionan términos de una lista fija de tratamientos, efectos secundarios y preocupaciones; ninguna palabra, nombre ni fecha más precisa que un mes sale de Kindred.
insights-method-withheld = Toda cifra basada en menos de { $below } miembros se retiene y se muestra rayada como “<{ $below }”, junto con cualquier otra cifra que permitiría deducirla por resta.
insights-from = Desde
insights-to = Hasta
insights-show = Mostrar
insights-download = Descargar estas cifras:
insights-members-heading = Miembros detrás de las cifras
insights-members-caption = Miembros que aceptaron contar para los datos y publicaron, por mes
insights-month = Mes
insights-members = Miembros
insights-legend-withheld = rayado: menos de { $below } miembros, retenido
insights-chart-heading = { $chart }: menciones a lo largo del tiempo
insights-chart-all-withheld = Todos los meses están retenidos para estos términos.
insights-chart-caption = { $chart }: publicaciones que mencionan cada uno, por mes
insights-term = Término
insights-quiet = Retenidos o no mencionados en ningún mes: { $terms }.
insights-concerns-heading = Principales preocupaciones, de { $from } a { $to } frente a de { $lastfrom } a { $lastto }
insights-concerns-all-withheld = Todas las preocupaciones están retenidas en ambos periodos.
insights-concerns-figcaption = Barras oscuras: este periodo; barras claras: el periodo anterior. “+”: al menos esta cantidad, porque algunos meses están retenidos.
insights-concerns-caption = Publicaciones que mencionan cada preocupación, en este periodo y en el anterior
insights-concern = Preocupación
insights-this-period = Este periodo
insights-period-before = Periodo anterior
insights-heatmap-heading = Tratamientos y efectos secundarios mencionados juntos
insights-heatmap-all-withheld = Todos los pares de tratamiento y efecto secundario están retenidos en este periodo.
insights-heatmap-figcaption = Publicaciones que mencionan ambos, en el periodo; más oscuro es más. Los pares que no aparecen están retenidos todos los meses.
insights-heatmap-caption = Publicaciones que mencionan un tratamiento y un efecto secundario juntos
insights-treatment = Tratamiento

## page: administration (/admin, /admin/c/…)
admin-title = Administración
admin-overview = Resumen del sitio
admin-overview-caption = Comunidades con sus miembros, publicaciones, elementos abiertos en la cola y moderadores
admin-col-community = Comunidad
admin-col-members = Miembros
admin-col-posts = Publicaciones
admin-col-queue = Cola
admin-col-moderators = Moderadores
admin-col-actions = Acciones
admin-create-heading = Crear una comunidad
admin-create-button = Crear comunidad
admin-appoint-heading = Nombrar a un moderador
admin-appoint-button = Nombrar
admin-all-communities = Todas las comunidades
admin-save-changes = Guardar cambios
admin-screening-heading = Política de revisión
admin-save-policy = Guardar política
admin-no-moderators = Todavía no hay moderadores. Nombra uno en la página de administración.
admin-edit = Editar
admin-remove-moderator = Quitar como moderador
admin-edit-title = Editar { $community }
admin-field-name = Nombre
admin-field-address = Dirección
admin-field-description = Descripción
admin-field-rules = Normas
admin-field-kind = Tipo
admin-field-conditions = Enfermedades
admin-field-visibility = Visibilidad
admin-field-joining = Ingreso
admin-field-listing = Aparición en el directorio
admin-field-language = Idioma
admin-field-community = Comunidad
admin-field-username = Nombre de usuario
admin-field-policy = Política (JSON)
admin-hint-address = Se usa en la URL: letras minúsculas, dígitos y guiones, p. ej. lung-cancer.
admin-hint-markdown = Markdown.
admin-hint-commas = Separadas por comas.
admin-hint-policy = Los campos omitidos toman los valores predeterminados.
admin-private-mark = (privada)
admin-no-moderators-cell = ninguno

## Problemas de los formularios en las páginas (issue 21).
form-invalid-other = Revisa este campo, por favor.
form-invalid-credentials = El nombre de usuario y la contraseña no coinciden.
form-rate-limited = { $seconds ->
    [one] Demasiados intentos. Vuelve a intentarlo dentro de { $seconds } segundo.
   *[other] Demasiados intentos. Vuelve a intentarlo dentro de { $seconds } segundos.
}
form-no-such-member = No hay ningún miembro con ese nombre de usuario.
form-no-such-clinician = No hay ningún miembro con ese nombre de usuario (o, para retirarlo, ningún profesional sanitario verificado).
form-not-your-password = Esa no es tu contraseña.
form-username-taken = Ese nombre de usuario ya está en uso. Elige otro, por favor.
form-slug-taken = Ya hay una comunidad con esta dirección.
form-invalid-listed = Elige si aparece en el directorio o no.
form-policy-unusable = Esta política no se puede usar: { $detail }.
form-invalid-username = El nombre de usuario tiene de 3 a 32 caracteres (letras, números y guiones bajos) y no puede estar reservado.
form-invalid-password = La contraseña tiene de 10 a 256 caracteres y no puede ser una de las más comunes.
form-invalid-new-password = La contraseña tiene de 10 a 256 caracteres y no puede ser una de las más comunes.
form-invalid-current-password = La contraseña actual no es correcta.
form-invalid-email = Escribe una dirección de correo válida, por favor.
form-invalid-new-email = Escribe una dirección de correo válida que no sea ya la tuya, por favor.
form-invalid-display-name = El nombre visible tiene hasta 64 caracteres y no puede nombrar un cargo como moderador o personal.
form-invalid-role = Elige uno de los papeles que se ofrecen.
form-invalid-conditions = Hasta 20 etiquetas de enfermedad, cortas y separadas por comas.
form-invalid-condition-tags = Hasta 20 etiquetas de enfermedad, cortas y separadas por comas.
form-invalid-bio = La presentación es demasiado larga o tiene caracteres no permitidos.
form-invalid-title = El título tiene de 1 a 200 caracteres.
form-invalid-body = El texto está vacío, es demasiado largo o demasiado complejo para mostrarlo.
form-invalid-slug = La dirección lleva letras minúsculas, números y guiones.
form-invalid-name = El nombre está vacío o es demasiado largo.
form-invalid-description = La descripción está vacía o es demasiado larga.
form-invalid-rules = Las normas son demasiado largas.
form-invalid-kind = Elige uno de los tipos que se ofrecen.
form-invalid-visibility = Elige pública o privada.
form-invalid-join-policy = Elige una de las formas de unirse que se ofrecen.
form-invalid-language = Elige uno de los idiomas que se ofrecen.
form-invalid-reason = Indica un motivo, por favor (hasta 1000 caracteres).
form-invalid-text = El texto está vacío o es demasiado largo.
form-invalid-days = Una suspensión dura de 1 a 365 días.
form-invalid-to = Indica al menos a otro miembro por su nombre de usuario.
form-invalid-answers = Responde a las preguntas obligatorias con las opciones que se ofrecen, por favor.
form-invalid-options = Una pregunta de opciones tiene 2 opciones como mínimo y no más de las permitidas.
form-invalid-questions = La encuesta tiene demasiadas preguntas o ninguna.
form-invalid-country = Elige uno de los países que se ofrecen.
form-invalid-time-zone = Elige una zona horaria de la lista.
form-invalid-digest-hour = Elige una hora entre 0 y 23.
form-invalid-note = La nota es demasiado larga o tiene caracteres no permitidos.
form-notice-survey-answered = Gracias: hemos recibido tus respuestas.
form-notice-survey-withdrawn = Tus respuestas se han borrado.
form-notice-survey-dismissed = No volveremos a mostrarte esta encuesta.
form-notice-survey-approved = Aprobada: los miembros que cumplen los requisitos la verán mientras esté abierta.
form-notice-survey-rejected = Rechazada; la entidad colaboradora verá tu motivo.
form-notice-survey-drafted = Enviada: un administrador leerá tu encuesta antes de que la vean los miembros.
form-notice-granted = Concedido.
form-notice-revoked = Retirado.
form-conflict = Eso choca con lo que ya hay; recarga la página y compruébalo.
form-no-question = Una encuesta necesita al menos una pregunta.
form-free-text-for-partner = Las respuestas de texto libre nunca salen de Kindred: una pregunta de texto libre solo la pueden leer los moderadores de la comunidad.
form-not-partner = Solo las entidades colaboradoras de investigación redactan encuestas.
form-not-admin = Solo los administradores del sitio pueden hacer esto.
form-promotional = La revisión automática encontró promoción en esta encuesta; recházala indicando un motivo.
form-survey-closed = Esta encuesta está cerrada.
form-survey-open = Los resultados aparecen cuando se cierra la encuesta.
form-not-eligible = Esta encuesta es para miembros que aceptaron participar en investigaciones (en tus ajustes de privacidad) y encajan en su público.
form-too-few-respondents = Menos de 11 miembros respondieron a esta encuesta, así que no se puede mostrar ningún resultado sin arriesgar que se reconozca a alguien.

## Estados de las encuestas y el método de los resultados (issue 21)
survey-status-pending = pendiente de revisión
survey-status-approved = aprobada
survey-status-rejected = rechazada
survey-status-method = Los resultados solo aparecen cuando la encuesta se ha cerrado y si respondieron al menos 11 miembros. Cualquier recuento menor de 11 se muestra como «<11», y se ocultan otros recuentos cuando el oculto podría deducirse restando.

## Textos propios de los gráficos de estadísticas (issue 21)
insights-svg-treatments = Tratamientos
insights-svg-side-effects = Efectos secundarios
insights-svg-concerns = Preocupaciones
insights-svg-line-title = { $chart }: menciones por mes (cifras en la tabla de abajo)
insights-svg-withheld-point = { $series }, { $month }: menos de { $below } (oculto)
insights-svg-concerns-title = Principales preocupaciones: este periodo frente al anterior (cifras en la tabla de abajo)
insights-svg-heatmap-title = Tratamientos y efectos secundarios mencionados en la misma publicación (cifras en la tabla de abajo)

## Administración: opciones de las listas, explicación de la política de revisión, recuentos del sitio (issue 21)
admin-opt-public = Pública: cualquiera puede leerla
admin-opt-private = Privada: solo la leen sus miembros (y, si no aparece en el directorio, solo ellos saben que existe)
admin-opt-unlisted = Fuera del directorio: una comunidad privada queda oculta
admin-opt-listed = En el directorio: el nombre, la descripción y el número de miembros de una comunidad privada aparecen en el directorio, y se puede pedir unirse
admin-opt-open = Abierta: cualquiera puede unirse
admin-opt-approval = Un moderador aprueba cada solicitud
policy-explained-labels = La política da puntuaciones para cada etiqueta:
policy-explained-scores = Una puntuación de 0 a 1 a partir de la cual un mensaje se marca para revisión, se retiene hasta que decida un moderador o se rechaza, con marcar ≤ retener ≤ rechazar:
policy-explained-never = nunca
policy-explained-trust = los niveles de confianza (0–3) cuyos mensajes solo se marcan cuando se retendrían.
overview-members = { $count ->
    [one] { $count } miembro
   *[other] { $count } miembros
}
overview-published-posts = { $count ->
    [one] { $count } mensaje publicado
   *[other] { $count } mensajes publicados
}
overview-open-queue-items = { $count ->
    [one] { $count } elemento pendiente en la cola
   *[other] { $count } elementos pendientes en la cola
}
form-notice-memorialised = La cuenta ha pasado a ser conmemorativa.
form-notice-memorial-reversed = Se ha deshecho la conmemoración.
form-notice-saved = Guardado.
form-notice-community-created = Comunidad creada.
form-notice-moderator-appointed = Moderador nombrado.
form-notice-changes-saved = Cambios guardados.
form-notice-moderator-removed = Moderador retirado; sigue siendo miembro.
form-notice-policy-saved = Política de revisión guardada; los mensajes nuevos se revisan con ella.
form-notice-reason-added = Motivo añadido.
form-notice-reason-default = Motivo predeterminado cambiado.
form-notice-reason-removed = Motivo eliminado.

## Textos que escribe el script de la página (web/src/script_words.rs)
js-sending-reply = Enviando tu respuesta…
js-just-now = ahora mismo
js-minutes-ago-one = hace { $n } minuto
js-minutes-ago-other = hace { $n } minutos
js-hours-ago-one = hace { $n } hora
js-hours-ago-other = hace { $n } horas
js-days-ago-one = hace { $n } día
js-days-ago-other = hace { $n } días
js-former-member = un antiguo miembro
js-awaiting-review = Pendiente de revisión.
js-removed-by-moderator = Retirado por un moderador.
js-why = Motivo: { $note }
js-post-deleted = Esta publicación se ha borrado.
js-content-note-summary = Esta publicación tiene un aviso de contenido: { $words } — mostrar
js-content-note-label = Aviso de contenido: { $words }
js-edited = · editado
js-post-by = publicación de { $name }
js-new-reply = Nueva respuesta de { $name }.
js-reaction-not-saved = No se ha guardado tu reacción.
js-reaction-added = Reacción añadida.
js-reaction-taken-back = Reacción retirada.
js-reply-not-posted = No se ha podido publicar tu respuesta.
js-reply-held = Tu respuesta está esperando la revisión de un moderador.
js-reply-posted = Tu respuesta está publicada.
js-preview = Vista previa
js-needs-content-note = Puede que esta publicación necesite un aviso de contenido: { $notes }.
js-nothing-to-preview = Todavía no hay nada que previsualizar.
js-preview-unavailable = La vista previa no está disponible ahora mismo.
js-a-post-was-deleted = Se ha borrado una publicación.
js-updates-missed = Se han perdido algunas novedades. Recarga la página para verlo todo.
js-show = mostrar
js-item-decided = Este elemento ya se ha decidido (quizá otro moderador). No hace falta nada más.
js-notifications = Notificaciones
js-unread = , { $n } sin leer
js-new-notification = Nueva notificación en { $thread }.
js-moderation = Moderación
js-open-items-one = , { $n } elemento pendiente
js-open-items-other = , { $n } elementos pendientes
js-members-to-mention = Miembros para mencionar
js-mention-choices = Miembros para mencionar: { $n }. Usa las flechas y Intro.
js-mentioned = Has mencionado a { $name }.

## Las líneas de la línea de órdenes para administradores (cli/src), en KINDRED_DEFAULT_LANGUAGE
cli-migrated = migraciones aplicadas a { $target }
cli-reindexed = índice de búsqueda reconstruido: { $posts } publicaciones, hasta el evento { $event }
cli-seeded = datos de demostración cargados: { $communities } comunidades, { $users } usuarios, { $threads } temas, { $posts } publicaciones
cli-seed-skipped = la base de datos ya tiene comunidades; no se han cargado los datos de demostración
cli-demo-logins = accesos de demostración (contraseña para todos: { $password }; solo para la demostración):
cli-mail-files = el correo (restablecimiento de contraseñas, notificaciones) se escribe como archivos .eml en { $dir }; define KINDRED_SMTP_URL para enviarlo
cli-mail-smtp = el correo se envía a { $transport }
cli-listening = kindred escucha en { $url } (API en { $url }/api/v1)
cli-admin-created = administrador { $name } creado
cli-erased = { $name } borrado (publicaciones: { $posts })
cli-memorialised = { $name } es ahora una cuenta conmemorativa: En memoria de { $display }
cli-unmemorialised = { $name } ya no es una cuenta conmemorativa
cli-partner-granted = { $name } puede ver las estadísticas de { $community }
cli-partner-already-granted = { $name } puede ver las estadísticas de { $community } (ya estaba concedido)
cli-partner-revoked = { $name } ya no puede ver las estadísticas de { $community }
cli-backup-written = copia de seguridad escrita en { $file } ({ $bytes } bytes)
cli-restored = { $file } restaurado en { $target }; índice de búsqueda reconstruido: { $posts } publicaciones, hasta el evento { $event }
cli-error-input = datos o configuración no válidos: { $detail }
cli-error-failed = no se ha podido completar la orden: { $detail }

## Errores que redacta el servidor (issue 21)
es3-token-access-invalid = el token de acceso no es válido o ha caducado
es3-token-header-malformed = la cabecera Authorization está mal formada
es3-token-bearer-expected = se esperaba Authorization: Bearer <token>
es3-token-session-ended = la sesión ha terminado; vuelve a iniciar sesión
es3-token-refresh-missing = no hay token de renovación
es3-token-refresh-invalid = el token de renovación no es válido o ha caducado
es3-token-refresh-reused = el token de renovación ya se usó; vuelve a iniciar sesión
es3-not-published-save = solo se pueden guardar los mensajes publicados: este está pendiente de revisión, retirado o borrado
es3-not-published-react = solo los mensajes publicados admiten reacciones: este está pendiente de revisión, retirado o borrado
es3-error-unauthenticated = hace falta iniciar sesión
es3-error-invalid-credentials = el nombre de usuario o la contraseña no son correctos
es3-error-not-found = no encontrado
es3-error-idempotency-key-reused = esta Idempotency-Key ya se usó para otra solicitud
es3-error-payload-too-large = el cuerpo de la solicitud ocupa más de { $bytes } bytes
es3-error-unsupported-media-type = envía el cuerpo como application/json
es3-error-method-not-allowed = este método no se admite; usa uno de estos: { $allowed }
es3-error-rate-limited = demasiados intentos; vuelve a intentarlo dentro de { $seconds ->
    [one] { $seconds } segundo
   *[other] { $seconds } segundos
}
es3-error-unavailable = el servicio no está disponible en este momento
es3-error-storage-full = el servidor se ha quedado sin espacio; no se ha guardado nada, vuelve a intentarlo más tarde
es3-error-internal = algo ha fallado por nuestra parte
es3-post-not-saved = El mensaje no se ha guardado
es3-reaction-not-saved = Tu reacción no se ha guardado
es3-demo-login-admin = administración del sitio: crea comunidades, nombra moderadores
es3-demo-login-maria-mod = moderadora de cáncer de pulmón, mieloma, colorrectal, cuidadores y duelo
es3-demo-login-sam-patient = paciente en la comunidad de cáncer de pulmón
es3-demo-login-jo-caregiver = persona cuidadora, miembro del grupo privado de cuidadores de glioblastoma
es3-demo-login-lena-research = socia de investigación: solo ve los datos de cáncer de pulmón (/insights) y su encuesta (/partner/surveys)
es3-cli-index-in-use = un servidor en marcha está usando { $dir }; detenlo primero
es3-conflict-not-moderator = { $username } no modera esta comunidad
es3-conflict-appeal-too-old = las decisiones se pueden recurrir durante { $days } días, y esta es más antigua
es3-cli-backup-exists = { $file } ya existe; elige otro archivo
es3-cli-restore-target-exists = { $file } ya existe; añade --force para sustituirlo por la copia
es3-cli-no-member = no hay ningún miembro llamado { $name }
